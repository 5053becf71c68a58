"""Reporting models, one module per area so that each stays short."""

from reporting.models.alerts import Alert, AlertEvent, Snooze
from reporting.models.audit import AccessRecord
from reporting.models.care import FollowUp, Infusion
from reporting.models.checkins import CheckinCall
from reporting.models.labs import BaselineChoice, LabPanel, LabResult, ReferenceRange
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
    "AccessRecord",
    "Alert",
    "AlertEvent",
    "BaselineChoice",
    "CareTeam",
    "CareTeamMembership",
    "CaregiverLink",
    "CheckinCall",
    "Digest",
    "FollowUp",
    "Infusion",
    "Invitation",
    "LabPanel",
    "LabResult",
    "Language",
    "Level",
    "Notification",
    "Patient",
    "ReferenceRange",
    "Relationship",
    "Report",
    "Snooze",
    "SymptomEntry",
    "User",
]
