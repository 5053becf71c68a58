"""The server-error page: no traceback, and the numbers to call, whatever broke."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    # No RequestContext: context processors may touch the database that just failed.
    context = {
        "EMERGENCY_NUMBER": settings.IMMUNOWATCH_EMERGENCY_NUMBER,
        "HOTLINE": settings.IMMUNOWATCH_HOTLINE,
    }
    return HttpResponseServerError(loader.get_template("500.html").render(context))
