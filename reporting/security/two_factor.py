"""Two-factor sign-in for staff (django-otp): an authenticator app (TOTP) and single-use
backup codes for the day the phone is not at hand."""

from __future__ import annotations

import math
import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reporting.models import User

APP_DEVICE = "Authenticator app"
BACKUP_DEVICE = "Backup codes"


def enrolment_device(user: User) -> TOTPDevice:
    """The user's app being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code (no inline styles: the CSP forbids them)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, light="#fff"))


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app without a camera."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(re.findall(".{1,4}", secret))


def _clean(token: str) -> str:
    return re.sub(r"[\s-]", "", token).lower()


def enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with a code it shows: sign-in confirmed, backup codes made and returned
    (shown once). None if the code is wrong."""
    if not device.verify_token(_clean(token)):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = backup_codes_renew(device.user)
    otp_login(request, device)
    return codes


def backup_codes_renew(user: User) -> list[str]:
    """A new set of single-use backup codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.IMMUNOWATCH_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def sign_in_confirm(*, request: HttpRequest, user: User, token: str) -> bool:
    """Confirm this sign-in with a code from the app or a backup code (used up)."""
    device = match_token(user, _clean(token))
    if device is None:
        return False
    otp_login(request, device)
    return True


def seconds_to_wait(user: User) -> int:
    """After wrong codes django-otp makes the app's code wait (1, 2, 4 ... seconds): how long
    is left, so that the page can say so instead of "wrong" for a right code."""
    waits = []
    for device in TOTPDevice.objects.filter(user=user):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append((data["locked_until"] - timezone.now()).total_seconds())
    return math.ceil(max(waits)) if waits else 0


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
