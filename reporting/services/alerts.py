"""Raising alerts from reports, and escalating the ones nobody acknowledged in time.

`alert_raise_for_report` is called by `report_submit` inside its transaction. It writes the
notifications (the outbox) in that same transaction, so an alert can never exist without the
rows that will tell a nurse about it, and they are enqueued only once it commits.

Escalation comes from the database, never from broker countdowns: a beat task every minute
calls `alerts_escalate_overdue`, which escalates each new (unacknowledged) alert past its
`due_at`, then again every target period after its last escalation.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import Alert, AlertEvent, LabPanel, Level, Patient, Report, Snooze, User
from reporting.notifications import (
    enqueue_on_commit,
    notifications_for_escalation,
    notifications_for_new_alert,
    notifications_for_raised_alert,
)
from reporting.selectors.queue_cache import ALERTS, changed_at_commit
from reporting.selectors.reports import lock_patient_before_report
from reporting.services.rows import Linked, history_row, insert_linked

logger = logging.getLogger(__name__)

ALERTING_LEVELS = frozenset({Level.MONITOR, Level.URGENT, Level.EMERGENCY})
OPEN_STATUSES = (Alert.Status.NEW, Alert.Status.ACKNOWLEDGED)


def response_target(level: str) -> dt.timedelta:
    return dt.timedelta(minutes=settings.IMMUNOWATCH_ALERT_TARGET_MINUTES[level])


# A report's symptoms as (code, level) pairs: its stored entries, or the engine's results
# for a report not stored yet.
SymptomLevels = Iterable[tuple[str, str]]


def _stored_levels(report: Report) -> SymptomLevels:
    return ((entry.code, entry.level) for entry in report.symptoms.all())


def _silenced_by_snooze(report: Report, levels: SymptomLevels) -> bool:
    """True when the report is monitor level and every monitor symptom is snoozed.

    Urgent and emergency reports are never silenced; nor is anything a snooze does not cover.
    """
    if report.level != Level.MONITOR:
        return False
    codes = {code for code, level in levels if level != Level.ROUTINE}
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


def _alert_level_and_source(report: Report, levels: SymptomLevels) -> tuple[str, str] | None:
    """The level and source of the alert a report opens, or None when it opens none.

    The engine grades the symptoms and never sees the note. Product rule: a note is always
    read by a person, so a report with a note that would open no alert (routine, or only
    snoozed symptoms) opens a monitor alert whose reason is the note (docs/clinical.md).
    """
    if report.level in ALERTING_LEVELS and not _silenced_by_snooze(report, levels):
        return report.level, Alert.Source.REPORT
    if report.note.strip():
        return Level.MONITOR, Alert.Source.FAMILY_NOTE
    return None


def _open(*, patient: Patient, level: str, source: str, suspected_irae: list[str]) -> Alert:
    """A new alert with its `created` event and its notifications (urgent and emergency at
    once, monitor in the next digest), inside the caller's transaction."""
    now = timezone.now()
    # The team object when the caller loaded it with the patient: the notifications then
    # need no query for it.
    team: dict[str, Any] = (
        {"care_team": patient.care_team}
        if Patient.care_team.is_cached(patient)
        else {"care_team_id": patient.care_team_id}
    )
    alert = Alert(
        patient=patient,
        **team,
        level=level,
        level_rank=Level(level).rank,
        source=source,
        suspected_irae=list(suspected_irae),
        created_at=now,
        due_at=now + response_target(level),
    )
    event = AlertEvent(alert=alert, kind=AlertEvent.Kind.CREATED, created_at=now)
    notifications = notifications_for_new_alert(alert=alert)
    # The alert, its audit row, its first event and its notifications in one statement
    # (services.rows); what saving it would have told the queue's cache, told here.
    insert_linked(
        alert,
        [
            Linked([history_row(alert)], "id"),
            Linked([event], "alert_id"),
            Linked(notifications, "alert_id", naming="idempotency_key"),
        ],
    )
    changed_at_commit(ALERTS)
    if notifications:
        enqueue_on_commit(notifications)
        logger.info("alert %s: %d notifications written", alert.pk, len(notifications))
    return alert


def _join(alert: Alert, *, level: str | None, suspected_irae: list[str], kind: str) -> None:
    """A report or panel joins the open alert (locked by the caller). More severe: the alert
    rises to its level and due time, and nurses are told again as for a new alert at that
    level. Not more severe: nobody is paged; the claiming nurse sees "new information"."""
    now = timezone.now()
    raised = level is not None and Level(level).rank > Level(alert.level).rank
    alert.suspected_irae = sorted(set(alert.suspected_irae) | set(suspected_irae))
    alert.has_new_information = alert.claimed_by_id is not None
    fields = ["suspected_irae", "has_new_information"]
    if raised:
        assert level is not None
        alert.level = level
        alert.due_at = min(alert.due_at, now + response_target(level))
        alert.raise_count += 1
        fields += ["level", "level_rank", "due_at", "raise_count"]
    alert.save(update_fields=fields)
    AlertEvent.objects.create(
        alert=alert, kind=kind, note=f"raised:{level}" if raised else "", created_at=now
    )
    if raised:
        notifications_for_raised_alert(alert=alert, number=alert.raise_count)


def _open_or_join(
    *, patient: Patient, level: str | None, source: str, suspected_irae: list[str], kind: str
) -> Alert | None:
    """One episode, one alert: join the patient's open alert if there is one, else open a new
    one (`level` None: this item opens none of its own). The patient's row is locked first, so
    two reports at the same moment make one alert; the database's one-open-alert-per-patient
    constraint stands behind it."""
    # The lock is all this wants: no row to build.
    list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk"))
    # One open alert per patient at most (one_open_alert_per_patient): no ORDER BY.
    alert = next(iter(_open_alerts().filter(patient=patient, status__in=OPEN_STATUSES)[:1]), None)
    if alert is not None:
        _join(alert, level=level, suspected_irae=suspected_irae, kind=kind)
        return alert
    if level is None:
        return None
    return _open(patient=patient, level=level, source=source, suspected_irae=suspected_irae)


def _has_open_alert(patient_id: int) -> bool:
    return Alert.objects.filter(patient_id=patient_id, status__in=OPEN_STATUSES).exists()


def _attach(item: Report | LabPanel, *, level: str | None, source: str, kind: str) -> Alert | None:
    """The report's or panel's alert: the open one it joins, or a new one at `level` (None:
    it opens none of its own). `item.alert` is saved."""
    if level is None and not _has_open_alert(item.patient_id):
        # Nothing to open and nothing to join (most check-ins): no lock to take. An item
        # that opens none cannot make a second open alert, whatever happens meanwhile.
        return None
    # No savepoint inside the caller's transaction (a report's, a panel's): nobody catches an
    # error half-way, so everything rolls back together, two statements fewer.
    with transaction.atomic(savepoint=False):
        alert = _open_or_join(
            patient=item.patient,
            level=level,
            source=source,
            suspected_irae=list(item.suspected_irae),
            kind=kind,
        )
        if alert is None:
            return None
        item.alert = alert
        item.save(update_fields=["alert"])
    return alert


def alert_raise_for_report(*, report: Report) -> Alert | None:
    """Open an alert for a stored report at monitor level or higher, or with a note (none for
    a routine report without one), or add the report to the patient's open alert: what
    `report_submit` does for a report it is storing (`alert_for_new_report`), for one stored
    already. `report.alert` is saved."""
    with transaction.atomic(savepoint=False):
        before = lock_patient_before_report(report.patient_id, when=report.submitted_at)
        alert = alert_for_new_report(
            report=report, levels=_stored_levels(report), open_alert_id=before.open_alert_id
        )
        if alert is not None:
            report.save(update_fields=["alert"])
            logger.info("alert %s has report %s", alert.pk, report.pk)
    return alert


def alert_for_new_report(
    *, report: Report, levels: SymptomLevels, open_alert_id: int | None
) -> Alert | None:
    """`alert_raise_for_report` for a report not stored yet, whose patient the caller locked
    and whose open alert it found (`lock_patient_before_report`): the alert is opened or
    joined first and `report.alert` set, so that the report's row is written once, with its
    alert (no UPDATE after). `levels`: the engine's (code, level) for each symptom."""
    opened = _alert_level_and_source(report, levels)
    level, source = opened if opened is not None else (None, Alert.Source.REPORT)
    kind, irae = AlertEvent.Kind.NEW_REPORT, list(report.suspected_irae)
    # Resolved since it was found (a nurse does not lock the patient): then none is open.
    alert = (
        None
        if open_alert_id is None
        else next(iter(_open_alerts().filter(pk=open_alert_id, status__in=OPEN_STATUSES)), None)
    )
    if alert is not None:
        _join(alert, level=level, suspected_irae=irae, kind=kind)
    elif level is not None:
        alert = _open(patient=report.patient, level=level, source=source, suspected_irae=irae)
    report.alert = alert
    return alert


def _open_alerts() -> QuerySet[Alert]:
    return Alert.objects.select_for_update(of=("self",))


def alert_raise_for_lab_panel(*, panel: LabPanel) -> Alert | None:
    """Open an alert for a lab panel at monitor level or higher, like a report's (same
    targets, outbox, digest, escalation and dashboard), or add it to the open alert."""
    level = panel.level if panel.level in ALERTING_LEVELS else None
    kind = AlertEvent.Kind.NEW_LAB_RESULTS
    alert = _attach(panel, level=level, source=Alert.Source.LAB_PANEL, kind=kind)
    if alert is not None:
        logger.info("alert %s has lab panel %s", alert.pk, panel.pk)
    return alert


# --- escalation -----------------------------------------------------------------------------


def escalate_locked(alert: Alert, *, actor: User | None, note: str, now: dt.datetime) -> bool:
    """Escalate an alert whose row the caller has locked. The conditional update on
    escalation_count also stops a double escalation where row locks are not available."""
    number = alert.escalation_count + 1
    if not Alert.objects.filter(pk=alert.pk, escalation_count=alert.escalation_count).update(
        escalation_count=number, last_escalated_at=now
    ):
        return False
    alert.escalation_count, alert.last_escalated_at = number, now
    event = AlertEvent(
        alert=alert, kind=AlertEvent.Kind.ESCALATED, actor=actor, note=note.strip(), created_at=now
    )
    event.full_clean()
    event.save()
    # The note stays in the alert's history: notifications never carry it.
    notifications_for_escalation(alert=alert, number=number)
    return True


def alert_escalate(*, alert: Alert, actor: User | None = None, note: str = "") -> Alert:
    """Tell the care team's escalation contact about `alert` now (a nurse's "escalate" button,
    or the overdue sweep with actor None). Records an `escalated` event."""
    with transaction.atomic():
        locked = (
            Alert.objects.select_for_update(of=("self",))
            .select_related("care_team")
            .get(pk=alert.pk)
        )
        if locked.status == Alert.Status.RESOLVED:
            raise ValidationError(_("A resolved alert cannot be escalated."))
        escalate_locked(locked, actor=actor, note=note, now=timezone.now())
    logger.info("alert %s escalated (number %d)", locked.pk, locked.escalation_count)
    return locked


def _overdue(now: dt.datetime) -> Q:
    """New alerts past due, never escalated or last escalated a target period ago."""
    since_last = Q()
    for level in settings.IMMUNOWATCH_ALERT_TARGET_MINUTES:
        period_ago = now - response_target(level)
        since_last |= Q(level=level) & (
            Q(last_escalated_at__isnull=True) | Q(last_escalated_at__lte=period_ago)
        )
    return Q(status=Alert.Status.NEW, due_at__lte=now) & since_last


def alerts_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """The beat's escalation sweep. Returns how many alerts it escalated.

    Each alert is re-checked under its row lock, so two sweeps at once escalate it once."""
    now = now or timezone.now()
    escalated = 0
    overdue_ids = list(
        Alert.objects.filter(_overdue(now)).order_by("due_at").values_list("pk", flat=True)
    )
    for alert_id in overdue_ids:
        with transaction.atomic():
            alert = (
                Alert.objects.select_for_update(of=("self",))
                .select_related("care_team")
                .filter(_overdue(now), pk=alert_id)
                .first()
            )
            if alert is not None and escalate_locked(alert, actor=None, note="", now=now):
                escalated += 1
    if escalated:
        logger.info("escalation sweep: %d alerts escalated", escalated)
    return escalated
