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
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.models import Alert, AlertEvent, Patient, Snooze, User
from reporting.selectors.people import require_care_team
from reporting.services import alerts as alert_services
from reporting.services.care import follow_ups_stop_for_alert
from reporting.triage import CATALOGUE

logger = logging.getLogger(__name__)

CALL_NOTE_MAX_LENGTH = 2000


class AlertActionError(Exception):
    """The action was refused and nothing changed; str() says why, in the nurse's language."""


def _display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _lock(*, alert: Alert, nurse: User) -> Alert:
    """The alert's row, locked until the caller's transaction ends; only for its team."""
    require_care_team(nurse, alert.care_team_id, "Only the alert's care team acts on it.")
    return (
        Alert.objects.select_for_update(of=("self",)).select_related("care_team").get(pk=alert.pk)
    )


def _refuse_if_resolved(alert: Alert) -> None:
    if alert.status == Alert.Status.RESOLVED:
        raise AlertActionError(_("This alert is already resolved; nothing was changed."))


def _event(alert: Alert, kind: str, nurse: User, now: dt.datetime, note: str = "") -> AlertEvent:
    return AlertEvent.objects.create(alert=alert, kind=kind, actor=nurse, note=note, created_at=now)


# --- steps on a locked alert: each public action is one or more of these in one transaction --


def _acknowledge(locked: Alert, nurse: User, now: dt.datetime) -> None:
    _refuse_if_resolved(locked)
    if locked.status == Alert.Status.ACKNOWLEDGED:
        holder = locked.claimed_by
        if holder is not None and holder.pk == nurse.pk:
            raise AlertActionError(_("You have already acknowledged this alert."))
        raise AlertActionError(
            _("%(name)s has already acknowledged this alert.")
            % {"name": _display_name(holder) if holder else _("Another nurse")}
        )
    locked.status = Alert.Status.ACKNOWLEDGED
    locked.claimed_by = nurse
    locked.acknowledged_at = now
    locked.save(update_fields=["status", "claimed_by", "acknowledged_at"])
    _event(locked, AlertEvent.Kind.ACKNOWLEDGED, nurse, now)


def _claim(locked: Alert, nurse: User, now: dt.datetime) -> None:
    _refuse_if_resolved(locked)
    if locked.status == Alert.Status.NEW:
        raise AlertActionError(_("Acknowledge the alert to take it."))
    if locked.claimed_by_id == nurse.pk:
        raise AlertActionError(_("This alert is already yours."))
    locked.claimed_by = nurse
    locked.save(update_fields=["claimed_by"])
    _event(locked, AlertEvent.Kind.CLAIMED, nurse, now)


def _checked_note(note: str, *, required: bool = False) -> str:
    text = note.strip()
    if required and not text:
        raise AlertActionError(_("Write the note first."))
    if len(text) > CALL_NOTE_MAX_LENGTH:
        raise AlertActionError(
            _("A note has at most %(max)d characters.") % {"max": CALL_NOTE_MAX_LENGTH}
        )
    return text


def _call_note(locked: Alert, nurse: User, now: dt.datetime, note: str) -> AlertEvent | None:
    """Write down a call (or an attempt), if there is anything to write."""
    text = _checked_note(note)
    return _event(locked, AlertEvent.Kind.CALL_NOTE, nurse, now, text) if text else None


def _check_outcome(outcome: str, details: str) -> str:
    if outcome not in Alert.Outcome.values:
        raise AlertActionError(_("Choose an outcome from the list."))
    details = _checked_note(details)
    if outcome == Alert.Outcome.OTHER and not details:
        raise AlertActionError(_("Say what was done when the outcome is “Other”."))
    return details


def _outcome(locked: Alert, nurse: User, now: dt.datetime, outcome: str, details: str) -> None:
    details = _check_outcome(outcome, details)
    _refuse_if_resolved(locked)
    if locked.status == Alert.Status.NEW:
        raise AlertActionError(_("Acknowledge the alert before recording an outcome."))
    locked.outcome = outcome
    locked.save(update_fields=["outcome"])
    _event(locked, AlertEvent.Kind.OUTCOME, nurse, now, outcome)
    if details:
        _event(locked, AlertEvent.Kind.CALL_NOTE, nurse, now, details)


def _resolve(locked: Alert, nurse: User, now: dt.datetime, note: str) -> None:
    _refuse_if_resolved(locked)
    if not locked.outcome:
        raise AlertActionError(_("Record the outcome before resolving the alert."))
    locked.status = Alert.Status.RESOLVED
    locked.resolved_at = now
    locked.save(update_fields=["status", "resolved_at"])
    follow_ups_stop_for_alert(alert=locked, now=now)
    _event(locked, AlertEvent.Kind.RESOLVED, nurse, now, _checked_note(note))


def _escalate(locked: Alert, nurse: User, now: dt.datetime, note: str) -> None:
    _refuse_if_resolved(locked)
    if locked.care_team.escalation_contact_id is None:
        raise AlertActionError(
            _("This care team has no escalation contact; ask an admin to set one.")
        )
    alert_services.escalate_locked(locked, actor=nurse, note=_checked_note(note), now=now)


# --- the actions -----------------------------------------------------------------------------


def alert_acknowledge(*, alert: Alert, nurse: User) -> Alert:
    """First contact: claim a new alert and acknowledge it (one `acknowledged` event).

    Refused when it is resolved, or when another nurse already has it (the message names them,
    so the second of two nurses clicking at once knows who is calling).
    """
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _acknowledge(locked, nurse, timezone.now())
    logger.info("alert %s acknowledged by user %s", locked.pk, nurse.pk)
    return locked


def alert_claim(*, alert: Alert, nurse: User) -> Alert:
    """Take over an acknowledged alert from another nurse (e.g. at the end of a shift).

    A new alert is acknowledged instead (that claims it too).
    """
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _claim(locked, nurse, timezone.now())
    logger.info("alert %s claimed by user %s", locked.pk, nurse.pk)
    return locked


def alert_add_call_note(*, alert: Alert, nurse: User, note: str) -> AlertEvent:
    """Write down a call (or an attempt). Allowed at any status, late documentation included."""
    text = _checked_note(note, required=True)
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        event = _event(locked, AlertEvent.Kind.CALL_NOTE, nurse, timezone.now(), text)
    logger.info("alert %s: call note %s by user %s", locked.pk, event.pk, nurse.pk)
    return event


def alert_record_outcome(*, alert: Alert, nurse: User, outcome: str, details: str = "") -> Alert:
    """Record what was decided; a later outcome replaces it (both stay in the history)."""
    _check_outcome(outcome, details)
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _outcome(locked, nurse, timezone.now(), outcome, details)
    logger.info("alert %s: outcome recorded by user %s", locked.pk, nurse.pk)
    return locked


def alert_escalate_to_contact(*, alert: Alert, nurse: User, note: str = "") -> Alert:
    """Tell the care team's escalation contact now (the alerts service notifies and records)."""
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _escalate(locked, nurse, timezone.now(), note)
    logger.info("alert %s escalated by user %s", locked.pk, nurse.pk)
    return locked


def alert_resolve(*, alert: Alert, nurse: User, note: str = "") -> Alert:
    """Close the alert. It needs an outcome first, so that every closed alert says what was
    done; a resolved alert stays resolved (it cannot be acknowledged again)."""
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        _resolve(locked, nurse, timezone.now(), note)
    logger.info("alert %s resolved by user %s", locked.pk, nurse.pk)
    return locked


class WorkStep(models.TextChoices):
    """The buttons of the alert page's one form, in the order of the work."""

    ACKNOWLEDGE = "acknowledge", gettext_lazy("Acknowledge")
    CLAIM = "claim", gettext_lazy("Take over")
    NOTE = "note", gettext_lazy("Save call note")
    OUTCOME = "outcome", gettext_lazy("Record outcome")
    RESOLVE = "resolve", gettext_lazy("Resolve")
    ESCALATE = "escalate", gettext_lazy("Escalate now")


@dataclass(frozen=True, slots=True)
class AlertWork:
    """What the nurse typed and chose on the alert page, and the button she pressed."""

    step: str
    call_note: str = ""
    outcome: str = ""
    details: str = ""
    closing_note: str = ""
    escalation_note: str = ""

    def records_outcome(self, alert: Alert) -> bool:
        """Whether "Resolve" records an outcome first: one was chosen that is new, or it
        comes with details to keep."""
        return bool(self.outcome) and (self.outcome != alert.outcome or bool(self.details.strip()))

    def unused(self) -> dict[str, str]:
        """Typed text this step does not save: the page keeps it for the next step."""
        saved = _SAVED_BY_STEP.get(self.step, frozenset())
        typed = {
            "call_note": self.call_note,
            "outcome": self.outcome,
            "details": self.details,
            "closing_note": self.closing_note,
            "escalation_note": self.escalation_note,
        }
        return {name: value for name, value in typed.items() if value and name not in saved}


# Every step saves the call note typed beside it; these save more.
_SAVED_BY_STEP: dict[str, frozenset[str]] = {
    WorkStep.ACKNOWLEDGE: frozenset({"call_note"}),
    WorkStep.CLAIM: frozenset({"call_note"}),
    WorkStep.NOTE: frozenset({"call_note"}),
    WorkStep.OUTCOME: frozenset({"call_note", "outcome", "details"}),
    WorkStep.RESOLVE: frozenset({"call_note", "outcome", "details", "closing_note"}),
    WorkStep.ESCALATE: frozenset({"call_note", "escalation_note"}),
}


def alert_work(*, alert: Alert, nurse: User, work: AlertWork) -> Alert:
    """One press of a button on the alert page, with everything typed beside it.

    The call note typed is saved with any button (a nurse who writes the call down, then
    presses "Record outcome" or "Resolve", loses nothing); "Resolve" also records the outcome
    chosen, if it is new. All in one transaction under one lock: it happens whole or not at
    all, so a refusal changes nothing and the page shows what was typed again.
    """
    if work.step not in WorkStep.values:
        raise AlertActionError(_("Choose what to do."))
    if work.step == WorkStep.NOTE:
        _checked_note(work.call_note, required=True)
    if work.step == WorkStep.RESOLVE and work.escalation_note.strip():
        raise AlertActionError(str(_ESCALATION_TYPED))
    with transaction.atomic():
        locked = _lock(alert=alert, nurse=nurse)
        now = timezone.now()
        if work.step == WorkStep.ACKNOWLEDGE:
            _acknowledge(locked, nurse, now)
        elif work.step == WorkStep.CLAIM:
            _claim(locked, nurse, now)
        _call_note(locked, nurse, now, work.call_note)
        if work.step == WorkStep.OUTCOME or (
            work.step == WorkStep.RESOLVE and work.records_outcome(locked)
        ):
            _outcome(locked, nurse, now, work.outcome, work.details)
        if work.step == WorkStep.RESOLVE:
            _resolve(locked, nurse, now, work.closing_note)
        elif work.step == WorkStep.ESCALATE:
            _escalate(locked, nurse, now, work.escalation_note)
    logger.info("alert %s: %s by user %s", locked.pk, work.step, nurse.pk)
    return locked


_ESCALATION_TYPED = gettext_lazy(
    "You wrote a reason to escalate: press “Escalate now” first, or clear that box."
)


def resolve_problem(*, alert: Alert, work: AlertWork) -> str | None:
    """Why "Resolve" would be refused now (asked before the confirmation), or None."""
    if work.escalation_note.strip():
        # Resolving would drop it: nothing a nurse typed is lost without her knowing.
        return str(_ESCALATION_TYPED)
    if alert.status == Alert.Status.RESOLVED:
        return _("This alert is already resolved; nothing was changed.")
    if alert.status == Alert.Status.NEW:
        return _("Acknowledge the alert before recording an outcome.")
    if not work.outcome and not alert.outcome:
        return _("Record the outcome before resolving the alert.")
    if work.records_outcome(alert):
        try:
            _check_outcome(work.outcome, work.details)
        except AlertActionError as error:
            return str(error)
    return None


# --- snoozing an expected symptom ----------------------------------------------------------


def snooze_symptom(
    *, nurse: User, patient: Patient, code: str, days: int, reason: str = ""
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
    require_care_team(nurse, patient.care_team_id, "Only the patient's care team snoozes symptoms.")
    now = timezone.now()
    with transaction.atomic():
        # Lock the patient so that two nurses snoozing at once leave one active snooze.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        for earlier in Snooze.objects.filter(
            patient=patient, code=code, cancelled_at__isnull=True, until__gt=now
        ):
            # One by one (there is at most one): each change goes into the snooze's history.
            earlier.cancelled_at = now
            earlier.save(update_fields=["cancelled_at"])
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


def snooze_cancel(*, nurse: User, snooze: Snooze) -> Snooze:
    """End a snooze now: the symptom alerts again from the next report."""
    with transaction.atomic():
        locked = Snooze.objects.select_for_update().select_related("patient").get(pk=snooze.pk)
        require_care_team(
            nurse, locked.patient.care_team_id, "Only the patient's care team cancels snoozes."
        )
        if locked.cancelled_at is not None or locked.until <= timezone.now():
            raise AlertActionError(_("This snooze has already ended."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
    logger.info("snooze %s cancelled by user %s", locked.pk, nurse.pk)
    return locked
