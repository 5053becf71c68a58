"""Signing in in tests.

`Client.force_login` stands for a whole sign-in, second factor included: the conftest makes
it also confirm a staff member's session with a two-factor device, as if they had typed
their code (families have no second factor). tests/reporting/security/ walk the real
log-in, enrolment and code pages.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from reporting.language import APPLIED

_plain_force_login = Client.force_login


def confirmed_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name="Test authenticator").first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator")


def force_login_with_second_factor(self: Client, user: Any, backend: str | None = None) -> None:
    _plain_force_login(self, user, backend)
    session = self.session
    # A test chooses the page language itself (cookie or Accept-Language): the account's is
    # given only to real log-ins (tests/reporting/test_language.py).
    session[APPLIED] = user.language
    if not (user.is_staff or user.groups.filter(name="nurse").exists()):
        session.save()
        return  # families sign in with their password only
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    # What the first request after a staff log-in does (StaffSessionMiddleware), done here
    # so that query counts measure the page, not that one-off session write.
    session["_staff_active_at"] = int(time.time())
    session.set_expiry(settings.IMMUNOWATCH_STAFF_IDLE_MINUTES * 60)
    session.save()


def force_login_password_only(client: Client, user: Any) -> None:
    """A sign-in that gave the password and not yet a code."""
    _plain_force_login(client, user)
