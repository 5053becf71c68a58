"""A small, fully known programme for the quality figures: team A (three patients, three
alerts, notifications) and team B (one patient, one alert), in the weeks of 16 and
23 November 2026, with data just outside them that must not count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reporting.models import Alert, AlertEvent, Notification, Report, SymptomEntry, User
from reporting.selectors.quality import Period
from tests.factories import (
    CaregiverLinkFactory,
    CareTeamFactory,
    NurseFactory,
    PatientFactory,
    UserFactory,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK_1, WEEK_2 = dt.date(2026, 11, 16), dt.date(2026, 11, 23)
PERIOD = Period(start=WEEK_1, end=dt.date(2026, 11, 30))
REGIMEN = ["atezolizumab", "bevacizumab"]


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=HCM)


@dataclass
class Programme:
    team_a: Any
    team_b: Any
    nurse_a: User
    nurse_b: User
    admin: User


def _report(patient: Any, when: dt.datetime, level: str, alert: Alert | None = None) -> Report:
    return Report.objects.create(
        patient=patient,
        reporter_role="family",
        level=level,
        ruleset="2026.1",
        regimen=REGIMEN,
        submitted_at=when,
        alert=alert,
    )


def _entry(report: Report, code: str, grade: int, level: str, irae: str) -> None:
    SymptomEntry.objects.create(report=report, code=code, grade=grade, level=level, irae=irae)


def _notification(
    team: Any, when: dt.datetime, channel: str, status: str, attempts: int, **about: Any
) -> None:
    purpose = "reminder" if "caregiver_link" in about else "alert"
    Notification.objects.create(
        **about,
        care_team=team,
        purpose=purpose,
        channel=channel,
        address="x@example.org",
        idempotency_key=f"{channel}-{when.isoformat()}-{status}",
        status=status,
        attempts=attempts,
        created_at=when,
    )


@pytest.fixture
def programme(db: Any) -> Programme:
    team_a, team_b = CareTeamFactory.create(name="A team"), CareTeamFactory.create(name="B team")
    nurse_a = NurseFactory.create(care_teams=[team_a])
    nurse_b = NurseFactory.create(care_teams=[team_b])
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    p1 = PatientFactory.create(care_team=team_a, treatment_start_date=dt.date(2026, 10, 26))
    p2 = PatientFactory.create(care_team=team_a, treatment_start_date=None)
    p3 = PatientFactory.create(care_team=team_a)
    pb = PatientFactory.create(care_team=team_b)
    for patient, created in [(p1, at(1)), (p2, at(1)), (p3, at(25)), (pb, at(1))]:
        type(patient).objects.filter(pk=patient.pk).update(created_at=created)

    # Alerts of team A: a1 monitor (acknowledged after 2 h, resolved after 24 h), a2 urgent
    # (acknowledged after 90 min, past its 60 min target; escalated; resolved after 12 h),
    # a3 monitor from lab results, never acknowledged and past due.
    a1 = Alert.objects.create(
        patient=p1,
        care_team=team_a,
        level="monitor",
        source="report",
        created_at=at(17, 10),
        due_at=at(18, 10),
        acknowledged_at=at(17, 12),
        resolved_at=at(18, 10),
        status="resolved",
        outcome="self_care",
    )
    a2 = Alert.objects.create(
        patient=p1,
        care_team=team_a,
        level="urgent",
        source="report",
        created_at=at(24, 9),
        due_at=at(24, 10),
        acknowledged_at=at(24, 10, 30),
        resolved_at=at(24, 21),
        status="resolved",
        outcome="clinic_visit",
        escalation_count=1,
    )
    a3 = Alert.objects.create(
        patient=p2,
        care_team=team_a,
        level="monitor",
        source="lab_panel",
        created_at=at(25, 8),
        due_at=at(26, 8),
    )
    del a3
    r1 = _report(p1, at(17, 10), "monitor", a1)
    _entry(r1, "diarrhea", 2, "monitor", "gastrointestinal")
    _report(p1, at(18, 9), "routine", a1)  # joined the open alert
    AlertEvent.objects.create(alert=a1, kind=AlertEvent.Kind.NEW_REPORT, created_at=at(18, 9))
    r3 = _report(p1, at(24, 9), "urgent", a2)
    _entry(r3, "diarrhea", 3, "urgent", "gastrointestinal")
    _entry(r3, "rash", 1, "routine", "dermatologic")  # routine: not a suspected irAE
    _report(p2, at(24, 11), "monitor")  # every symptom snoozed: no alert
    _report(p3, at(26, 11), "routine")
    # Outside the period: not counted.
    _report(p1, at(10, 9), "routine")
    _report(p1, at(30, 9), "urgent")

    _notification(team_a, at(17, 10), "email", "sent", 1, alert=a1)
    _notification(team_a, at(24, 9), "sms", "failed", 6, alert=a2)
    link = CaregiverLinkFactory.create(patient=p1)
    _notification(team_a, at(24, 9, 5), "email", "sent", 2, caregiver_link=link)

    # Team B: one patient, one emergency alert in week 1.
    ab = Alert.objects.create(
        patient=pb,
        care_team=team_b,
        level="emergency",
        source="report",
        created_at=at(17, 9),
        due_at=at(17, 9, 15),
        acknowledged_at=at(17, 9, 10),
        status="acknowledged",
    )
    _report(pb, at(17, 9), "emergency", ab)
    return Programme(team_a, team_b, nurse_a, nurse_b, admin)
