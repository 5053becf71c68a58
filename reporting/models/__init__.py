"""Reporting models, one module per area so that each stays short."""

from reporting.models.alerts import Alert, AlertEvent, Snooze
from reporting.models.notifications import Digest, Notification
from reporting.models.people import (
    CaregiverLink,
    CareTeam,
    CareTeamMembership,
    Invitation,
    Patient,
    Relationship,
)
from reporting.models.reports import Level, Report, SymptomEntry
from reporting.models.users import Language, User

__all__ = [
    "Alert",
    "AlertEvent",
    "CareTeam",
    "CareTeamMembership",
    "CaregiverLink",
    "Digest",
    "Invitation",
    "Language",
    "Level",
    "Notification",
    "Patient",
    "Relationship",
    "Report",
    "Snooze",
    "SymptomEntry",
    "User",
]
