"""Reads, always scoped to the requesting user."""

from reporting.selectors.people import (
    care_teams_of,
    get_patient_for_nurse,
    get_patient_for_user,
    patients_in_care_of,
    patients_visible_to,
)

__all__ = [
    "care_teams_of",
    "get_patient_for_nurse",
    "get_patient_for_user",
    "patients_in_care_of",
    "patients_visible_to",
]
