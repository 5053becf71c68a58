"""Weekly check-in reminders to whoever reports for a patient who has gone quiet.

A reminder carries no health detail and no patient name: only that it is time to report, a
link to the report page, and the safety sentence, in the person's language. Each link is
reminded at most once per REMINDER_INTERVAL, whatever number of beat processes or workers run
this at the same time. Reminders go through the notification outbox (e-mail, or SMS to the
family member's phone when they have no e-mail), so a failed one is retried, then shown to
the care team.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from reporting.models import CaregiverLink, Report
from reporting.notifications import notifications_for_reminder

logger = logging.getLogger(__name__)

REMINDER_INTERVAL = dt.timedelta(days=7)


def _due_links(now: dt.datetime) -> list[int]:
    """Ids of links whose patient sent nothing for 7 days and who were not reminded in 7 days.

    A link younger than 7 days waits: a newly invited family member is not nagged at once.
    """
    cutoff = now - REMINDER_INTERVAL
    recent_report = Report.objects.filter(
        patient_id=OuterRef("patient_id"), submitted_at__gt=cutoff
    )
    return list(
        CaregiverLink.objects.filter(user__is_active=True, created_at__lte=cutoff)
        .exclude(Q(user__email="") & Q(phone=""))
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cutoff))
        .filter(~Exists(recent_report))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _claim(link_id: int, now: dt.datetime) -> bool:
    """Mark the link reminded if nobody did it meanwhile: one conditional UPDATE, so of two
    workers racing for the same link exactly one sees a row changed."""
    cutoff = now - REMINDER_INTERVAL
    claimed = (
        CaregiverLink.objects.filter(pk=link_id)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cutoff))
        .update(last_reminded_at=now)
    )
    return claimed == 1


def reminders_send_due(now: dt.datetime | None = None) -> int:
    """Write one reminder to the outbox for every due link (delivered, retried and shown to
    the care team if it fails, like every message); return how many were written."""
    now = now or timezone.now()
    written = 0
    for link_id in _due_links(now):
        with transaction.atomic():
            if not _claim(link_id, now):
                continue  # another worker got there first
            link = CaregiverLink.objects.select_related("user", "patient__care_team").get(
                pk=link_id
            )
            if not notifications_for_reminder(link=link, when=now):
                continue
        written += 1
        logger.info("reminder written for caregiver link %s", link_id)
    return written
