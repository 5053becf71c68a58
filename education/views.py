from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def article_list(request: HttpRequest) -> HttpResponse:
    # Placeholder until the education issue lands its Article model.
    return render(request, "education/article_list.html", {"articles": []})
