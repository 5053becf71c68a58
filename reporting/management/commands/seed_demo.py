"""Demo data for a local run: a care team, nurses, five patients, their families, history
(two of the patients have gone quiet: the missed check-ins list, with the calls made).

Idempotent: running it again changes nothing that is already there. Refuses without DEBUG.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from reporting.models import (
    Alert,
    AlertEvent,
    CaregiverLink,
    CareTeam,
    CareTeamMembership,
    CheckinCall,
    LabPanel,
    Patient,
    ReferenceRange,
    Relationship,
    Report,
    User,
)
from reporting.roles import FAMILY_GROUP, NURSE_GROUP
from reporting.services.alert_actions import (
    alert_acknowledge,
    alert_record_outcome,
    alert_resolve,
)
from reporting.services.alerts import response_target
from reporting.services.care import infusion_record, next_infusion_plan
from reporting.services.checkins import checkin_call_record
from reporting.services.labs import ResultInput, lab_panel_record
from reporting.services.reports import report_submit
from reporting.triage import DRUGS, DrugClass

DEMO_PASSWORD = "immunowatch-demo"  # noqa: S105 - published demo password, DEBUG only
# The demo hospital is Vietnamese, like its patients and nurses: what its staff type is too.
TEAM_NAME = "Nhóm ung bướu gan (demo)"
OLD_TEAM_NAME = "Demo liver oncology team"  # before 2026-12: renamed in existing databases
CLOSING_NOTE = "Đã gọi cho gia đình; đã hướng dẫn tự chăm sóc tại nhà."

# Phone numbers are stored in E.164, as the enrolment form stores them (reporting/phones.py).
PATIENTS = [
    {
        "hospital_number": "DEMO-0001",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": dt.date(1958, 3, 14),
        "regimen": ["atezolizumab", "bevacizumab"],
        "preferred_language": "vi",
        "phone": "+84900000001",
    },
    {
        "hospital_number": "DEMO-0002",
        "full_name": "Trần Thị Bình",
        "date_of_birth": dt.date(1964, 9, 2),
        "regimen": ["durvalumab", "tremelimumab"],
        "preferred_language": "vi",
        "phone": "+84900000002",
    },
    {
        "hospital_number": "DEMO-0003",
        "full_name": "Lê Minh Châu",
        "date_of_birth": dt.date(1971, 6, 27),
        "regimen": ["lenvatinib"],
        "preferred_language": "en",
    },
]


@dataclass(frozen=True)
class QuietPatient:
    """A patient who has gone quiet: on the missed check-ins list (/triage/missed/)."""

    fields: dict[str, Any]
    enrolled_ago: dt.timedelta
    family: tuple[str, str, str, str]  # username, first name, last name, phone
    relationship: str
    reports_ago: tuple[dt.timedelta, ...]  # "I feel well" check-ins, oldest first
    # (ago, nurse, outcome, note): calls the nurses made, oldest first
    calls: tuple[tuple[dt.timedelta, str, str, str], ...]


_DAYS = dt.timedelta(days=1)
QUIET_PATIENTS = [
    # Reported every week, then stopped 11 days ago; two calls, nobody answered.
    QuietPatient(
        fields={
            "hospital_number": "DEMO-0004",
            "full_name": "Phạm Văn Dũng",
            "date_of_birth": dt.date(1955, 11, 8),
            "regimen": ["nivolumab"],
            "preferred_language": "vi",
            "phone": "+84900000004",
        },
        enrolled_ago=35 * _DAYS,
        family=("demo-family-4", "Thu", "Phạm", "+84900000014"),
        relationship=Relationship.CHILD,
        reports_ago=(25 * _DAYS, 18 * _DAYS, 11 * _DAYS),
        calls=(
            (2 * _DAYS, "demo-nurse-2", CheckinCall.Outcome.NO_ANSWER, ""),
            (
                20 * _DAYS / 24,
                "demo-nurse",
                CheckinCall.Outcome.NO_ANSWER,
                "Rang the patient and his daughter; no voicemail.",
            ),
        ),
    ),
    # Never used the app. Her husband said all was well 8 days ago: a week has passed again.
    QuietPatient(
        fields={
            "hospital_number": "DEMO-0005",
            "full_name": "Hoàng Thị Hạnh",
            "date_of_birth": dt.date(1968, 4, 19),
            "regimen": ["pembrolizumab"],
            "preferred_language": "vi",
        },
        enrolled_ago=12 * _DAYS,
        family=("demo-family-5", "Khoa", "Hoàng", "+84900000015"),
        relationship=Relationship.SPOUSE,
        reports_ago=(),
        calls=(
            (
                8 * _DAYS,
                "demo-nurse",
                CheckinCall.Outcome.ALL_WELL,
                "Husband says she is well; he will send the check-ins.",
            ),
        ),
    ),
]


# (test, unit, LLN, ULN) of the demo hospital's laboratory.
DEMO_RANGES = [
    ("alt", "U/L", None, Decimal("40")),
    ("ast", "U/L", None, Decimal("40")),
    ("bilirubin", "umol/L", None, Decimal("21")),
    ("alp", "U/L", None, Decimal("120")),
    ("albumin", "g/L", Decimal("35"), None),
    ("creatinine", "umol/L", None, Decimal("110")),
    ("platelets", "10^9/L", Decimal("150"), None),
    ("inr", "ratio", None, None),
]


def _liver(
    alt: str, ast: str, bilirubin: str, albumin: str, platelets: str
) -> list[tuple[str, ...]]:
    return [
        ("alt", alt, "U/L", "", "40"),
        ("ast", ast, "U/L", "", "40"),
        ("bilirubin", bilirubin, "umol/L", "", "21"),
        ("alp", "130", "U/L", "", "120"),
        ("albumin", albumin, "g/L", "35", ""),
        ("creatinine", "78", "umol/L", "", "110"),
        ("platelets", platelets, "10^9/L", "150", ""),
        ("inr", "1.2", "ratio", "", ""),
    ]


# (days after the treatment start, results, close its alert)
DEMO_PANELS = [
    (-5, _liver("62", "58", "22", "36", "120"), True),  # baseline: cirrhosis, raised ALT
    (21, _liver("70", "61", "24", "35", "118"), True),  # no worse than his baseline
    (37, _liver("265", "231", "30", "33", "110"), True),  # about 4 x his baseline: urgent
]


@dataclass(frozen=True)
class DemoReport:
    age: dt.timedelta
    username: str
    role: str
    relationship: str
    symptoms: list[dict[str, Any]]
    close_alert: bool = True


_FAMILY, _NURSE, _PATIENT = (
    Report.ReporterRole.FAMILY,
    Report.ReporterRole.NURSE,
    Report.ReporterRole.PATIENT,
)
_HISTORY_USERS = ("demo-nurse", "demo-family", "demo-family-2", "demo-patient")

# By hospital number, oldest first.
DEMO_REPORTS: dict[str, list[DemoReport]] = {
    "DEMO-0001": [
        DemoReport(dt.timedelta(days=20), "demo-family", _FAMILY, Relationship.CHILD, []),
        DemoReport(
            dt.timedelta(days=13),
            "demo-family",
            _FAMILY,
            Relationship.CHILD,
            [{"code": "fatigue", "severity": "mild"}],
        ),
        DemoReport(
            dt.timedelta(days=6),
            "demo-family",
            _FAMILY,
            Relationship.CHILD,
            [{"code": "diarrhea", "stools_over_baseline": 2}],
        ),
        # Grade 2 diarrhoea on atezolizumab: urgent, possible colitis. Left open.
        DemoReport(
            dt.timedelta(minutes=10),
            "demo-family",
            _FAMILY,
            Relationship.CHILD,
            [{"code": "diarrhea", "stools_over_baseline": 5}],
            close_alert=False,
        ),
    ],
    "DEMO-0002": [
        DemoReport(
            dt.timedelta(days=18),
            "demo-family-2",
            _FAMILY,
            Relationship.SPOUSE,
            [{"code": "rash", "body_area": "small"}],
        ),
        DemoReport(
            dt.timedelta(days=9),
            "demo-nurse",
            _NURSE,
            "",
            [{"code": "itching", "severity": "moderate"}],
        ),
        DemoReport(dt.timedelta(days=3), "demo-family-2", _FAMILY, Relationship.SPOUSE, []),
    ],
    "DEMO-0003": [
        DemoReport(
            dt.timedelta(days=15),
            "demo-patient",
            _PATIENT,
            Relationship.SELF,
            [{"code": "high_blood_pressure", "systolic": 128, "diastolic": 82}],
        ),
        DemoReport(
            dt.timedelta(days=8),
            "demo-patient",
            _PATIENT,
            Relationship.SELF,
            [{"code": "hand_foot_skin", "severity": "mild"}],
        ),
        # Grade 2 blood pressure on lenvatinib: monitor. Left open, behind the urgent one.
        DemoReport(
            dt.timedelta(hours=3),
            "demo-patient",
            _PATIENT,
            Relationship.SELF,
            [{"code": "high_blood_pressure", "systolic": 146, "diastolic": 88}],
            close_alert=False,
        ),
    ],
}


class Command(BaseCommand):
    help = "Create demo users, a care team and patients (DEBUG only unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with "
                "DJANGO_DEBUG=true, or with --force."
            )
        with transaction.atomic():
            team, patients = self._people()
            # Oldest first: the blood tests' alerts are dealt with before the reports come.
            self._labs(patients[0])
            self._history(team, patients)
            self._cycles(patients)
            self._quiet_patients(team)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ as:"))
        for username, role in [
            ("demo-nurse", "nurse, on duty"),
            ("demo-family", "family member of Nguyễn Văn An"),
            ("demo-admin", "admin"),
        ]:
            self.stdout.write(f"  {username:<12} / {DEMO_PASSWORD}   ({role})")

    def _user(self, username: str, **fields: Any) -> User:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _people(self) -> tuple[CareTeam, list[Patient]]:
        nurses, families = (Group.objects.get(name=n) for n in (NURSE_GROUP, FAMILY_GROUP))
        self._user(
            "demo-admin",
            is_staff=True,
            is_superuser=True,
            email="admin@example.org",
            first_name="Demo",
            last_name="Admin",
        )
        nurse = self._user(
            "demo-nurse", email="nurse@example.org", first_name="Hoa", last_name="Phạm"
        )
        nurse2 = self._user(
            "demo-nurse-2", email="nurse2@example.org", first_name="Lan", last_name="Đỗ"
        )
        lead = self._user(
            "demo-lead", email="lead@example.org", first_name="Dr. Quang", last_name="Vũ"
        )
        for user in (nurse, nurse2, lead):
            user.groups.add(nurses)
        # Data, not interface text: named as the (Vietnamese) demo hospital would name it.
        CareTeam.objects.filter(name=OLD_TEAM_NAME).update(name=TEAM_NAME)
        team, _ = CareTeam.objects.get_or_create(
            name=TEAM_NAME, defaults={"escalation_contact": lead}
        )
        CareTeamMembership.objects.get_or_create(
            care_team=team, nurse=nurse, defaults={"on_duty": True}
        )
        CareTeamMembership.objects.get_or_create(
            care_team=team, nurse=nurse2, defaults={"on_duty": False}
        )
        CareTeamMembership.objects.get_or_create(
            care_team=team, nurse=lead, defaults={"on_duty": False}
        )
        start = timezone.localdate() - dt.timedelta(days=42)
        patients = []
        for data in PATIENTS:
            patient, _ = Patient.objects.get_or_create(
                hospital_number=data["hospital_number"],
                defaults={
                    **data,
                    "care_team": team,
                    "treatment_start_date": start,
                    "enrolled_by": nurse,
                },
            )
            patients.append(patient)
        family = self._user(
            "demo-family", email="family@example.org", first_name="Minh", last_name="Nguyễn"
        )
        family.groups.add(families)
        CaregiverLink.objects.get_or_create(
            user=family,
            patient=patients[0],
            defaults={"relationship": Relationship.CHILD, "phone": "+84900000011"},
        )
        family2 = self._user(
            "demo-family-2", email="family2@example.org", first_name="Tuấn", last_name="Trần"
        )
        family2.groups.add(families)
        CaregiverLink.objects.get_or_create(
            user=family2, patient=patients[1], defaults={"relationship": Relationship.SPOUSE}
        )
        patient_self = self._user(
            "demo-patient", email="patient3@example.org", first_name="Châu", last_name="Lê"
        )
        patient_self.groups.add(families)
        CaregiverLink.objects.get_or_create(
            user=patient_self, patient=patients[2], defaults={"relationship": Relationship.SELF}
        )
        return team, patients

    def _history(self, team: CareTeam, patients: list[Patient]) -> None:
        """A few weeks of reports through `report_submit`, oldest first so that the worsening
        rule sees them in order. Past alerts are closed by the demo nurse; two stay open: An's
        URGENT report from a few minutes ago (the one the nurse should see first) and Châu's
        monitor report from this morning. Nothing is an emergency, which would sort first.
        A patient who already has reports is left alone (idempotent)."""
        users = {u.username: u for u in User.objects.filter(username__in=_HISTORY_USERS)}
        nurse = users["demo-nurse"]
        now = timezone.now()
        for patient in patients:
            if patient.reports.exists():
                continue
            for demo in DEMO_REPORTS.get(patient.hospital_number, []):
                report = report_submit(
                    patient=patient,
                    reported_by=users[demo.username],
                    reporter_role=demo.role,
                    reporter_relationship=demo.relationship,
                    symptoms=demo.symptoms,
                    submitted_at=now - demo.age,
                )
                alert = Alert.objects.filter(reports=report).first()
                if alert is not None:
                    self._date_alert(alert, report.submitted_at)
                    if demo.close_alert:
                        self._close_alert(alert, nurse, report.submitted_at)

    def _cycles(self, patients: list[Patient]) -> None:
        """For patients on immunotherapy infusions: two cycles three weeks apart from the
        start; the third, due today, was put back three days (so An's alert says a decision
        is due). Idempotent."""
        nurse = User.objects.get(username="demo-nurse")
        for patient in patients:
            infused = any(DRUGS.get(code) is DrugClass.ICI for code in patient.regimen)
            if not infused or patient.infusions.exists() or patient.treatment_start_date is None:
                continue  # lenvatinib alone is a daily tablet: no infusions
            for cycle in (1, 2):
                infusion_record(
                    nurse=nurse,
                    patient=patient,
                    given_on=patient.treatment_start_date + dt.timedelta(days=21 * (cycle - 1)),
                    drugs=list(patient.regimen),
                    cycle_number=cycle,
                )
            next_infusion_plan(
                nurse=nurse, patient=patient, on=timezone.localdate() + dt.timedelta(days=3)
            )

    def _quiet_patients(self, team: CareTeam) -> None:
        """Two patients who stopped reporting, with the calls made about it. Reports go
        through `report_submit` and calls through `checkin_call_record`, then are dated back.
        A patient who already has reports or calls keeps them (idempotent)."""
        families = Group.objects.get(name=FAMILY_GROUP)
        now = timezone.now()
        for quiet in QUIET_PATIENTS:
            patient, created = Patient.objects.get_or_create(
                hospital_number=quiet.fields["hospital_number"],
                defaults={
                    **quiet.fields,
                    "care_team": team,
                    "treatment_start_date": timezone.localdate() - quiet.enrolled_ago,
                    "enrolled_by": User.objects.get(username="demo-nurse"),
                },
            )
            if created:  # enrolled weeks ago, not when the seed ran
                Patient.objects.filter(pk=patient.pk).update(created_at=now - quiet.enrolled_ago)
            username, first_name, last_name, phone = quiet.family
            family = self._user(
                username,
                email=f"{username}@example.org",
                first_name=first_name,
                last_name=last_name,
            )
            family.groups.add(families)
            CaregiverLink.objects.get_or_create(
                user=family,
                patient=patient,
                defaults={"relationship": quiet.relationship, "phone": phone},
            )
            if not patient.reports.exists():
                for ago in quiet.reports_ago:
                    report_submit(
                        patient=patient,
                        reported_by=family,
                        reporter_role=_FAMILY,
                        reporter_relationship=quiet.relationship,
                        symptoms=[],
                        submitted_at=now - ago,
                    )
            if not patient.checkin_calls.exists():
                for ago, nurse_name, outcome, note in quiet.calls:
                    call = checkin_call_record(
                        nurse=User.objects.get(username=nurse_name),
                        patient=patient,
                        outcome=outcome,
                        note=note,
                    )
                    CheckinCall.objects.filter(pk=call.pk).update(called_at=now - ago)
                    call.history.update(called_at=now - ago, history_date=now - ago)

    def _labs(self, patient: Patient) -> None:
        """The hospital's reference ranges, and An's blood tests: a baseline before treatment
        with a raised ALT (as cirrhosis gives), a panel three weeks in that is no worse than
        his baseline, and one five days ago with an urgent hepatitis pattern, which the
        demo nurse has dealt with (a clinic visit). Idempotent."""
        for test, unit, lln, uln in DEMO_RANGES:
            ReferenceRange.objects.get_or_create(
                test=test, unit=unit, defaults={"lln": lln, "uln": uln}
            )
        if patient.lab_panels.exists() or patient.treatment_start_date is None:
            return
        nurse = User.objects.get(username="demo-nurse")
        start = timezone.make_aware(dt.datetime.combine(patient.treatment_start_date, dt.time(8)))
        for days, values, close in DEMO_PANELS:
            collected = start + dt.timedelta(days=days)
            panel = lab_panel_record(
                patient=patient,
                collected_at=collected,
                results=[ResultInput(*row) for row in values],
                source=LabPanel.Source.ENTERED,
                entered_by=nurse,
            )
            if panel.alert is not None:
                self._date_alert(panel.alert, collected + dt.timedelta(hours=3))
                if close:
                    self._close_alert(panel.alert, nurse, collected + dt.timedelta(hours=3))

    def _date_alert(self, alert: Alert, raised_at: dt.datetime) -> None:
        # The alert was raised when the (backdated) report came in, not when the seed ran.
        Alert.objects.filter(pk=alert.pk).update(
            created_at=raised_at, due_at=raised_at + response_target(alert.level)
        )
        alert.events.update(created_at=raised_at)

    def _close_alert(self, alert: Alert, nurse: User, raised_at: dt.datetime) -> None:
        """What the nurse did, through the nurses' own services, dated an hour later."""
        alert_acknowledge(alert=alert, nurse=nurse)
        alert_record_outcome(
            alert=alert,
            nurse=nurse,
            outcome=Alert.Outcome.SELF_CARE,
            details=CLOSING_NOTE,
        )
        alert_resolve(alert=alert, nurse=nurse)
        done = raised_at + dt.timedelta(hours=1)
        Alert.objects.filter(pk=alert.pk).update(acknowledged_at=done, resolved_at=done)
        alert.events.exclude(kind=AlertEvent.Kind.CREATED).update(created_at=done)
