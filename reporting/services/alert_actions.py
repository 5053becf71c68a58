"""What a nurse does about an alert, and snoozing an expected symptom.

Every action locks the alert row (`select_for_update`) in its own transaction, checks that it
still makes sense, changes the alert and writes one `AlertEvent` with the nurse and the time.
So when two nurses click at once, the second waits for the first and then sees who has it.

Claiming: "Acknowledge" on a new alert is the first contact. It claims the alert for the nurse
(`claimed_by`), sets status acknowledged and `acknowledged_at`, and writes ONE `acknowledged`
event (its actor is the claimant). A `claimed` event is written only when a nurse takes over an
alert another nurse had claimed (a shift handover), so the history says who held it when.

Outcome events store the outcome code in `note`, so the history keeps every outcome recorded
(a nurse may correct it) and shows each in the reader's language; free-text details go into a
`call_note` event beside it.

Errors a nurse can fix or should know about raise `AlertActionError` with a translated
message; acting outside one's care teams raises PermissionDenied (views answer 404 before).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import Alert, AlertEvent, Patient, Snooze
from reporting.selectors.people import care_teams_of
from reporting.services import alerts as alert_services
from reporting.triage import CATALOGUE

logger = logging.getLogger(__name__)

CALL_NOTE_MAX_LENGTH = 2000


class AlertActionError(Exception):
    """The action was refused and nothing changed; str() says why, in the nurse's language."""


def _display_name(user: Any) -> str:
    return user.get_full_name() or user.username


def _lock(*, alert: Alert, nurse: Any) -> Alert:
    """The alert's row, locked until the caller's transaction ends; only for its team."""
    if not care_teams_of(nurse).filter(pk=alert.care_team_id).exists():
        raise PermissionDenied("Only the alert's care team acts on it.")
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _refuse_if_resolved(alert: Alert) -> None:
    if alert.status == Alert.Status.RESOLVED:
        raise AlertActionError(_("This alert is already resolved; nothing was changed."))


def _event(alert: Alert, kind: str, nurse: Any, now: dt.datetime, note: str = "") -> AlertEvent:
    return AlertEvent.objects.create(alert=alert, kind=kind, actor=nurse, note=note, created_at=now)


def alert_acknowledge(*, alert: Alert, nurse: Any) -> Alert:
    """First contact: claim a new alert and acknowledge it (one `acknowledged` event).

    Refused when it is resolved, or when another nurse already has it (the message names them,
    so the second of two nurses clicking at once knows who is calling).
    """
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _refuse_if_resolved(locked)
        if locked.status == Alert.Status.ACKNOWLEDGED:
            holder = locked.claimed_by
            if holder is not None and holder.pk == nurse.pk:
                raise AlertActionError(_("You have already acknowledged this alert."))
            raise AlertActionError(
                _("%(name)s has already acknowledged this alert.")
                % {"name": _display_name(holder) if holder else _("Another nurse")}
            )
        now = timezone.now()
        locked.status = Alert.Status.ACKNOWLEDGED
        locked.claimed_by = nurse
        locked.acknowledged_at = now
        locked.save(update_fields=["status", "claimed_by", "acknowledged_at"])
        _event(locked, AlertEvent.Kind.ACKNOWLEDGED, nurse, now)
    logger.info("alert %s acknowledged by user %s", locked.pk, nurse.pk)
    return locked


def alert_claim(*, alert: Alert, nurse: Any) -> Alert:
    """Take over an acknowledged alert from another nurse (e.g. at the end of a shift).

    A new alert is acknowledged instead (that claims it too).
    """
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _refuse_if_resolved(locked)
        if locked.status == Alert.Status.NEW:
            raise AlertActionError(_("Acknowledge the alert to take it."))
        if locked.claimed_by_id == nurse.pk:
            raise AlertActionError(_("This alert is already yours."))
        locked.claimed_by = nurse
        locked.save(update_fields=["claimed_by"])
        _event(locked, AlertEvent.Kind.CLAIMED, nurse, timezone.now())
    logger.info("alert %s claimed by user %s", locked.pk, nurse.pk)
    return locked


def alert_add_call_note(*, alert: Alert, nurse: Any, note: str) -> AlertEvent:
    """Write down a call (or an attempt). Allowed at any status, late documentation included."""
    text = note.strip()
    if not text:
        raise AlertActionError(_("Write the note first."))
    if len(text) > CALL_NOTE_MAX_LENGTH:
        raise AlertActionError(
            _("A note has at most %(max)d characters.") % {"max": CALL_NOTE_MAX_LENGTH}
        )
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        event = _event(locked, AlertEvent.Kind.CALL_NOTE, nurse, timezone.now(), text)
    logger.info("alert %s: call note %s by user %s", locked.pk, event.pk, nurse.pk)
    return event


def alert_record_outcome(*, alert: Alert, nurse: Any, outcome: str, details: str = "") -> Alert:
    """Record what was decided; a later outcome replaces it (both stay in the history)."""
    if outcome not in Alert.Outcome.values:
        raise AlertActionError(_("Choose an outcome from the list."))
    details = details.strip()
    if outcome == Alert.Outcome.OTHER and not details:
        raise AlertActionError(_("Say what was done when the outcome is “Other”."))
    if len(details) > CALL_NOTE_MAX_LENGTH:
        raise AlertActionError(
            _("A note has at most %(max)d characters.") % {"max": CALL_NOTE_MAX_LENGTH}
        )
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _refuse_if_resolved(locked)
        if locked.status == Alert.Status.NEW:
            raise AlertActionError(_("Acknowledge the alert before recording an outcome."))
        now = timezone.now()
        locked.outcome = outcome
        locked.save(update_fields=["outcome"])
        _event(locked, AlertEvent.Kind.OUTCOME, nurse, now, outcome)
        if details:
            _event(locked, AlertEvent.Kind.CALL_NOTE, nurse, now, details)
    logger.info("alert %s: outcome recorded by user %s", locked.pk, nurse.pk)
    return locked


def alert_escalate_to_contact(*, alert: Alert, nurse: Any, note: str = "") -> Alert:
    """Tell the care team's escalation contact now (the alerts service notifies and records)."""
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _refuse_if_resolved(locked)
        if locked.care_team.escalation_contact_id is None:
            raise AlertActionError(
                _("This care team has no escalation contact; ask an admin to set one.")
            )
        alert_services.alert_escalate(alert=locked, actor=nurse, note=note.strip())
    logger.info("alert %s escalated by user %s", locked.pk, nurse.pk)
    locked.refresh_from_db()
    return locked


def alert_resolve(*, alert: Alert, nurse: Any, note: str = "") -> Alert:
    """Close the alert. It needs an outcome first, so that every closed alert says what was
    done; a resolved alert stays resolved (it cannot be acknowledged again)."""
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _refuse_if_resolved(locked)
        if not locked.outcome:
            raise AlertActionError(_("Record the outcome before resolving the alert."))
        now = timezone.now()
        locked.status = Alert.Status.RESOLVED
        locked.resolved_at = now
        locked.save(update_fields=["status", "resolved_at"])
        _event(locked, AlertEvent.Kind.RESOLVED, nurse, now, note.strip())
    logger.info("alert %s resolved by user %s", locked.pk, nurse.pk)
    return locked


# --- snoozing an expected symptom ----------------------------------------------------------


def snooze_symptom(
    *, nurse: Any, patient: Patient, code: str, days: int, reason: str = ""
) -> Snooze:
    """Mark `code` as expected for `patient` for `days` (1 to 30) days from now.

    While it lasts, that symptom alone at monitor level raises no new alert (the rule is in
    `services.alerts._silenced_by_snooze`); urgent and emergency reports always alert, and the
    reports are stored and shown as usual. A new snooze of the same symptom replaces the
    active one, so no symptom is ever snoozed for more than 30 days from today.
    """
    if code not in CATALOGUE:
        raise AlertActionError(_("Choose a symptom from the list."))
    if not 1 <= days <= Snooze.MAX_DAYS:
        raise AlertActionError(
            _("A symptom can be snoozed for 1 to %(max)d days.") % {"max": Snooze.MAX_DAYS}
        )
    if not care_teams_of(nurse).filter(pk=patient.care_team_id).exists():
        raise PermissionDenied("Only the patient's care team snoozes symptoms.")
    now = timezone.now()
    with transaction.atomic():
        # Lock the patient so that two nurses snoozing at once leave one active snooze.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        Snooze.objects.filter(
            patient=patient, code=code, cancelled_at__isnull=True, until__gt=now
        ).update(cancelled_at=now)
        snooze = Snooze.objects.create(
            patient=patient,
            code=code,
            until=now + dt.timedelta(days=days),
            reason=reason.strip(),
            created_by=nurse,
            created_at=now,
        )
    logger.info("snooze %s created for patient %s by user %s", snooze.pk, patient.pk, nurse.pk)
    return snooze


def snooze_cancel(*, nurse: Any, snooze: Snooze) -> Snooze:
    """End a snooze now: the symptom alerts again from the next report."""
    with transaction.atomic():
        locked = Snooze.objects.select_for_update().select_related("patient").get(pk=snooze.pk)
        if not care_teams_of(nurse).filter(pk=locked.patient.care_team_id).exists():
            raise PermissionDenied("Only the patient's care team cancels snoozes.")
        if locked.cancelled_at is not None or locked.until <= timezone.now():
            raise AlertActionError(_("This snooze has already ended."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
    logger.info("snooze %s cancelled by user %s", locked.pk, nurse.pk)
    return locked
