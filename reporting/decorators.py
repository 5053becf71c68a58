from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from reporting.roles import is_nurse


def nurse_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; anyone but a nurse gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_nurse(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
