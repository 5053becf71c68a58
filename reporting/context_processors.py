from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from reporting import roles
from reporting.phones import dial_string


def call_numbers() -> dict[str, str]:
    """The numbers families are told to call, as shown and as dialled (`tel:` links)."""
    return {
        "EMERGENCY_NUMBER": settings.IMMUNOWATCH_EMERGENCY_NUMBER,
        "EMERGENCY_NUMBER_TEL": dial_string(settings.IMMUNOWATCH_EMERGENCY_NUMBER),
        "HOTLINE": settings.IMMUNOWATCH_HOTLINE,
        "HOTLINE_TEL": dial_string(settings.IMMUNOWATCH_HOTLINE),
    }


def immunowatch(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        **call_numbers(),
        "HOSPITAL_NAME": settings.IMMUNOWATCH_HOSPITAL_NAME,
        "user_is_nurse": roles.is_nurse(user),
        "user_is_family": roles.is_family(user),
        "user_is_admin": roles.is_admin(user),
    }
