"""Weekly check-in reminders: e-mail whoever reports for a patient who has gone quiet.

A reminder carries no health detail and no patient name: only that it is time to report, a
link to the report page, and the safety sentence. Each link is reminded at most once per
REMINDER_INTERVAL, whatever number of beat processes or workers run this at the same time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reporting.models import CaregiverLink, Relationship, Report

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
        .exclude(user__email="")
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


def _release(link: CaregiverLink, now: dt.datetime) -> None:
    """Undo our claim after a failed send, so the next beat tries again."""
    CaregiverLink.objects.filter(pk=link.pk, last_reminded_at=now).update(
        last_reminded_at=link.last_reminded_at
    )


def _send(link: CaregiverLink) -> None:
    patient = link.patient
    url = f"{settings.SITE_URL}{reverse('report_new')}?patient={patient.pk}"
    context = {
        "name": link.user.first_name,
        "for_self": link.relationship == Relationship.SELF,
        "link": url,
        "emergency_number": settings.IMMUNOWATCH_EMERGENCY_NUMBER,
        "hotline": settings.IMMUNOWATCH_HOTLINE,
    }
    # Users have no language of their own: the patient's is the family's language.
    with translation.override(patient.preferred_language):
        subject = render_to_string("reporting/email/reminder_subject.txt", context).strip()
        body = render_to_string("reporting/email/reminder_body.txt", context)
    send_mail(subject, body, None, [link.user.email])


def reminders_send_due(now: dt.datetime | None = None) -> int:
    """E-mail every due link once; return how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for link_id in _due_links(now):
        link = CaregiverLink.objects.select_related("user", "patient").get(pk=link_id)
        if not _claim(link_id, now):
            continue  # another worker got there first
        try:
            _send(link)
        except Exception:  # any mail failure: release the claim and carry on with the others
            logger.exception("reminder for caregiver link %s failed; will retry", link_id)
            _release(link, now)
            continue
        sent += 1
        logger.info("reminder sent for caregiver link %s", link_id)
    return sent
