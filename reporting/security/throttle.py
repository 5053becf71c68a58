"""Throttles for the doors that send e-mail or take a token (django-ratelimit on the shared
cache): password-reset e-mails and invitation links.

Log-in itself is django-axes' job (settings, "Lockout"). A throttle that cannot reach its
cache lets the request through (logged): a family must never be kept out by a dead Redis.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from reporting.security.addresses import client_address

logger = logging.getLogger(__name__)


def _count(request: HttpRequest, group: str, value: str, per_hour: int, *, add: bool) -> int:
    """Tries of `value` in this hour's window (with this one when `add`); 0 without a cache."""
    try:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request: value,
            rate=f"{per_hour}/h",
            increment=add,
        )
    except Exception:  # the cache is down: let people through, say so in the log
        logger.warning("throttle %s: cache unavailable, request allowed", group)
        return 0
    return int(usage["count"]) if usage else 0


def reset_email_over_limit(request: HttpRequest, email: str) -> bool:
    """Counts one reset e-mail to `email`; True once past the hourly limit for it."""
    per_hour: int = settings.IMMUNOWATCH_PASSWORD_RESETS_PER_HOUR
    key = email.strip().lower()
    return _count(request, "password-reset-email", key, per_hour, add=True) > per_hour


def reset_client_over_limit(request: HttpRequest) -> bool:
    """Counts one reset request from this client address; True once past 3x the limit (a
    ward shares one address)."""
    per_hour = 3 * settings.IMMUNOWATCH_PASSWORD_RESETS_PER_HOUR
    address = client_address(request)
    return _count(request, "password-reset-client", address, per_hour, add=True) > per_hour


def invitation_tries_exhausted(request: HttpRequest) -> bool:
    """True while this client address has used up its hourly failed invitation links."""
    per_hour: int = settings.IMMUNOWATCH_INVITATION_TRIES_PER_HOUR
    address = client_address(request)
    return _count(request, "invitation-fail", address, per_hour, add=False) >= per_hour


def invitation_try_failed(request: HttpRequest) -> None:
    """Counts one unknown, used or expired invitation link from this client address."""
    per_hour: int = settings.IMMUNOWATCH_INVITATION_TRIES_PER_HOUR
    _count(request, "invitation-fail", client_address(request), per_hour, add=True)


def too_many_attempts(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The page for a throttled request: wait an hour, or call (429)."""
    return render(request, "registration/too_many_attempts.html", status=429)
