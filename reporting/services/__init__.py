"""Writes: keyword-only, typed services that validate before saving and own their transaction."""

from reporting.notifications import (
    digests_send,
    enqueue_on_commit,
    notification_deliver,
    notifications_sweep,
)
from reporting.services.alert_actions import (
    AlertActionError,
    alert_acknowledge,
    alert_add_call_note,
    alert_claim,
    alert_escalate_to_contact,
    alert_record_outcome,
    alert_resolve,
    snooze_cancel,
    snooze_symptom,
)
from reporting.services.alerts import (
    alert_escalate,
    alert_raise_for_report,
    alerts_escalate_overdue,
)
from reporting.services.people import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_find,
    patient_enroll,
)
from reporting.services.reminders import reminders_send_due
from reporting.services.reports import report_submit

__all__ = [
    "AlertActionError",
    "InvitationError",
    "alert_acknowledge",
    "alert_add_call_note",
    "alert_claim",
    "alert_escalate",
    "alert_escalate_to_contact",
    "alert_raise_for_report",
    "alert_record_outcome",
    "alert_resolve",
    "alerts_escalate_overdue",
    "digests_send",
    "enqueue_on_commit",
    "invitation_accept",
    "invitation_create",
    "invitation_find",
    "notification_deliver",
    "notifications_sweep",
    "patient_enroll",
    "reminders_send_due",
    "report_submit",
    "snooze_cancel",
    "snooze_symptom",
]
