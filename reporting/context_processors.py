from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from reporting import roles


def immunowatch(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "EMERGENCY_NUMBER": settings.IMMUNOWATCH_EMERGENCY_NUMBER,
        "HOTLINE": settings.IMMUNOWATCH_HOTLINE,
        "HOSPITAL_NAME": settings.IMMUNOWATCH_HOSPITAL_NAME,
        "user_is_nurse": roles.is_nurse(user),
        "user_is_family": roles.is_family(user),
        "user_is_admin": roles.is_admin(user),
    }
