"""The audit trail's writes: an access record for each staff view of a patient's record, and
the retention that removes old records (README, "Audit trail")."""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from reporting.models import AccessRecord, Patient
from reporting.roles import is_staff_member
from reporting.security.addresses import client_address

logger = logging.getLogger(__name__)

What = AccessRecord.What


def access_record(
    request: HttpRequest, *, patient: Patient, what: str, object_id: int | None = None
) -> AccessRecord | None:
    """Record that a nurse or admin opened this patient's record; families' views of their
    own patient are not recorded (None)."""
    user = request.user
    if not is_staff_member(user):
        return None
    return AccessRecord.objects.create(
        user_id=user.pk,
        username=user.get_username(),
        patient=patient,
        hospital_number=patient.hospital_number,
        what=what,
        object_id=object_id,
        address=client_address(request)[:64],
    )


def audit_trail_purge(*, now: dt.datetime | None = None) -> int:
    """Delete access records and change history older than IMMUNOWATCH_AUDIT_RETENTION_DAYS
    (0 keeps everything); return how many rows went."""
    days: int = settings.IMMUNOWATCH_AUDIT_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    # The one deletion the trail allows: past its retention, with the plain QuerySet.
    deleted, _ = models.QuerySet(AccessRecord).filter(at__lt=cutoff).delete()
    for model in apps.get_app_config("reporting").get_models():
        if model.__name__.startswith("Historical"):
            gone, _ = model._default_manager.filter(history_date__lt=cutoff).delete()
            deleted += gone
    logger.info("audit trail: %s rows past retention deleted", deleted)
    return deleted
