"""The server-error page: no traceback, and the numbers to call, whatever broke."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static

from reporting.context_processors import call_numbers


def server_error(request: HttpRequest) -> HttpResponse:
    # No RequestContext: context processors may touch the database that just failed.
    context = {**call_numbers(), "stylesheet": _stylesheet()}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def _stylesheet() -> str:
    """The error page's own small stylesheet (no inline styles: the CSP forbids them), or
    none if even the static files manifest is what broke."""
    try:
        return static("css/error.css")
    except Exception:
        return ""
