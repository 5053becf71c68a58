from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from reporting.roles import is_nurse

if TYPE_CHECKING:
    from reporting.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `login_required` or `nurse_required`: someone signed in.

    Only a type: Django builds the request; views annotate it with this so that
    `request.user` is our `User`, never an AnonymousUser (the decorator made sure of it).
    """

    user: User


def nurse_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; anyone but a nurse gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_nurse(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
