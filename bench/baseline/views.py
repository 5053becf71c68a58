from __future__ import annotations

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from bench.baseline.celery import item_created
from bench.baseline.models import Item


class ItemForm(forms.Form):
    name = forms.CharField(max_length=100)
    value = forms.IntegerField()


@csrf_exempt
def item_new(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    with transaction.atomic():
        item = Item.objects.create(**form.cleaned_data)
        transaction.on_commit(lambda: item_created.delay(item.pk))
    return redirect("item_list")


def item_list(request: HttpRequest) -> HttpResponse:
    items = Item.objects.order_by("-created_at", "-id")[:50]
    return render(request, "items.html", {"items": items})
