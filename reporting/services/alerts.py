"""Raising alerts from reports. Called by `report_submit` inside its transaction.

Notifications (the outbox) are written here too, in the same transaction, so that an alert can
never exist without the rows that will tell a nurse about it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from reporting.models import Alert, AlertEvent, Level, Report, Snooze

ALERTING_LEVELS = frozenset({Level.MONITOR, Level.URGENT, Level.EMERGENCY})


def response_target(level: str) -> dt.timedelta:
    return dt.timedelta(minutes=settings.IMMUNOWATCH_ALERT_TARGET_MINUTES[level])


def _silenced_by_snooze(report: Report) -> bool:
    """True when the report is monitor level and every monitor symptom is snoozed.

    Urgent and emergency reports are never silenced; nor is anything a snooze does not cover.
    """
    if report.level != Level.MONITOR:
        return False
    codes = {entry.code for entry in report.symptoms.all() if entry.level != Level.ROUTINE}
    if not codes:
        return False
    snoozed = set(
        Snooze.objects.filter(
            patient_id=report.patient_id,
            code__in=codes,
            cancelled_at__isnull=True,
            until__gt=report.submitted_at,
        ).values_list("code", flat=True)
    )
    return codes <= snoozed


def alert_raise_for_report(*, report: Report) -> Alert | None:
    """Open an alert for a report at monitor level or higher (none for routine reports)."""
    if report.level not in ALERTING_LEVELS or _silenced_by_snooze(report):
        return None
    now = timezone.now()
    alert = Alert.objects.create(
        report=report,
        patient_id=report.patient_id,
        care_team_id=report.patient.care_team_id,
        level=report.level,
        suspected_irae=list(report.suspected_irae),
        created_at=now,
        due_at=now + response_target(report.level),
    )
    AlertEvent.objects.create(alert=alert, kind=AlertEvent.Kind.CREATED, created_at=now)
    return alert
