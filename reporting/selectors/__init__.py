"""Reads, always scoped to the requesting user."""

from reporting.selectors.dashboard import (
    alert_queue,
    alerts_for_nurse,
    get_alert_for_nurse,
    missed_checkins,
)
from reporting.selectors.notifications import failed_notifications_for
from reporting.selectors.people import (
    care_teams_list,
    care_teams_of,
    get_invitation_for_nurse,
    get_patient_for_nurse,
    get_patient_for_user,
    in_care_team,
    patients_in_care_of,
    patients_visible_to,
)
from reporting.selectors.reports import (
    Reporter,
    get_report_for_user,
    patient_and_reporter,
    previous_grades,
    reason_texts,
    reporter_for,
    reports_of_patient,
    reports_visible_to,
    usual_symptoms,
)

__all__ = [
    "Reporter",
    "alert_queue",
    "alerts_for_nurse",
    "care_teams_list",
    "care_teams_of",
    "failed_notifications_for",
    "get_alert_for_nurse",
    "get_invitation_for_nurse",
    "get_patient_for_nurse",
    "get_patient_for_user",
    "get_report_for_user",
    "in_care_team",
    "missed_checkins",
    "patient_and_reporter",
    "patients_in_care_of",
    "patients_visible_to",
    "previous_grades",
    "reason_texts",
    "reporter_for",
    "reports_of_patient",
    "reports_visible_to",
    "usual_symptoms",
]
