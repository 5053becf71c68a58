"""Staff sign-in rules, applied to every request (settings.MIDDLEWARE).

Staff are nurses and admins: they see many patients' records, so their sessions end after
IMMUNOWATCH_STAFF_IDLE_MINUTES without a request, and (when IMMUNOWATCH_REQUIRE_STAFF_2FA)
every page but the two-factor ones waits until the sign-in was confirmed with a code.
Families keep password log-in and the ordinary session length.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django_otp import user_has_device
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from reporting.roles import is_staff_member
from reporting.selectors.compiled import CompiledQuery, field_names, model_row

# Refresh the idle deadline at most this often: not a session write on every request.
_REFRESH_SECONDS = 60
_ACTIVE_KEY = "_staff_active_at"

# Pages an unconfirmed staff sign-in may open: confirming it, leaving, the language.
_OPEN_TO_UNVERIFIED = frozenset(
    {
        "two_factor_setup",
        "two_factor_verify",
        "logout",
        "set_language",
        "healthz",
        "admin:logout",
    }
)


class StaffDeviceMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`), reading the
    session's device with a query compiled once per device model: a nurse's every page asks
    for it, and building the ORM's query cost more than running it (bench/http.py).

    The rest is django-otp's own: the device must be the signed-in user's and confirmed, or
    the sign-in counts as unverified and the session forgets it.
    """

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            label, device_id = persistent_id.rsplit("/", 1)
            model = apps.get_model(label)
            pk = int(device_id)
        except (ValueError, LookupError):
            return None  # as django-otp: a malformed id is no device
        if not issubclass(model, Device):
            return None
        rows = _device_query(model._meta.label_lower).rows(device_id=pk)
        return model_row(model, rows[0]) if rows else None


@functools.cache
def _device_query(label: str) -> CompiledQuery:
    model = apps.get_model(label)
    return CompiledQuery(
        lambda device_id: model._default_manager.filter(pk=device_id).values_list(
            *field_names(model)
        ),
        device_id=int,
    )


class StaffSessionMiddleware:
    """A staff session expires after the idle period; each request moves the deadline on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_staff_member(request.user):
            now = int(time.time())
            if now - int(request.session.get(_ACTIVE_KEY, 0)) >= _REFRESH_SECONDS:
                request.session[_ACTIVE_KEY] = now
                request.session.set_expiry(settings.IMMUNOWATCH_STAFF_IDLE_MINUTES * 60)
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Sends a staff member whose sign-in is not confirmed to enrol or to give a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not settings.IMMUNOWATCH_REQUIRE_STAFF_2FA or not is_staff_member(request.user):
            return None
        if request.user.is_verified():  # type: ignore[attr-defined]  # django-otp adds it
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _OPEN_TO_UNVERIFIED:
            return None
        target = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
        url = redirect(target).url
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
