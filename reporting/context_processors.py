from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

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


# The default of IMMUNOWATCH_HOSPITAL_NAME (config/settings.py), translated for each reader;
# a name the hospital configured is shown as it is.
DEFAULT_HOSPITAL_NAME = gettext_noop("Oncology department")


def hospital_name() -> str:
    name = settings.IMMUNOWATCH_HOSPITAL_NAME
    return gettext(name) if name == DEFAULT_HOSPITAL_NAME else name


def immunowatch(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        **call_numbers(),
        "HOSPITAL_NAME": hospital_name(),
        "user_is_nurse": roles.is_nurse(user),
        "user_is_family": roles.is_family(user),
        "user_is_admin": roles.is_admin(user),
    }
