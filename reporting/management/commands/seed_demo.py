"""Demo data for a local run: a care team, nurses, three patients, their families, history.

Idempotent: running it again changes nothing that is already there. Refuses without DEBUG.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from reporting.models import CaregiverLink, CareTeam, CareTeamMembership, Patient, Relationship
from reporting.roles import FAMILY_GROUP, NURSE_GROUP

DEMO_PASSWORD = "immunowatch-demo"  # noqa: S105 - published demo password, DEBUG only
User = get_user_model()

PATIENTS = [
    {
        "hospital_number": "DEMO-0001",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": dt.date(1958, 3, 14),
        "regimen": ["atezolizumab", "bevacizumab"],
        "preferred_language": "vi",
    },
    {
        "hospital_number": "DEMO-0002",
        "full_name": "Trần Thị Bình",
        "date_of_birth": dt.date(1964, 9, 2),
        "regimen": ["durvalumab", "tremelimumab"],
        "preferred_language": "vi",
    },
    {
        "hospital_number": "DEMO-0003",
        "full_name": "Lê Minh Châu",
        "date_of_birth": dt.date(1971, 6, 27),
        "regimen": ["lenvatinib"],
        "preferred_language": "en",
    },
]


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
            self._history(team, patients)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ as:"))
        for username, role in [
            ("demo-nurse", "nurse, on duty"),
            ("demo-family", "family member of Nguyễn Văn An"),
            ("demo-admin", "admin"),
        ]:
            self.stdout.write(f"  {username:<12} / {DEMO_PASSWORD}   ({role})")

    def _user(self, username: str, **fields: Any) -> Any:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _people(self) -> tuple[CareTeam, list[Patient]]:
        nurses, families = (Group.objects.get(name=n) for n in (NURSE_GROUP, FAMILY_GROUP))
        self._user("demo-admin", is_staff=True, is_superuser=True, email="admin@example.org",
                   first_name="Demo", last_name="Admin")
        nurse = self._user("demo-nurse", email="nurse@example.org", first_name="Hoa",
                           last_name="Phạm")
        nurse2 = self._user("demo-nurse-2", email="nurse2@example.org", first_name="Lan",
                            last_name="Đỗ")
        lead = self._user("demo-lead", email="lead@example.org", first_name="Dr. Quang",
                          last_name="Vũ")
        for user in (nurse, nurse2, lead):
            user.groups.add(nurses)
        team, _ = CareTeam.objects.get_or_create(
            name="Demo liver oncology team", defaults={"escalation_contact": lead}
        )
        CareTeamMembership.objects.get_or_create(care_team=team, nurse=nurse,
                                                 defaults={"on_duty": True})
        CareTeamMembership.objects.get_or_create(care_team=team, nurse=nurse2,
                                                 defaults={"on_duty": False})
        CareTeamMembership.objects.get_or_create(care_team=team, nurse=lead,
                                                 defaults={"on_duty": False})
        start = timezone.localdate() - dt.timedelta(days=42)
        patients = []
        for data in PATIENTS:
            patient, _ = Patient.objects.get_or_create(
                hospital_number=data["hospital_number"],
                defaults={**data, "care_team": team, "treatment_start_date": start,
                          "enrolled_by": nurse},
            )
            patients.append(patient)
        family = self._user("demo-family", email="family@example.org", first_name="Minh",
                            last_name="Nguyễn")
        family.groups.add(families)
        CaregiverLink.objects.get_or_create(user=family, patient=patients[0],
                                            defaults={"relationship": Relationship.CHILD})
        family2 = self._user("demo-family-2", email="family2@example.org", first_name="Tuấn",
                             last_name="Trần")
        family2.groups.add(families)
        CaregiverLink.objects.get_or_create(user=family2, patient=patients[1],
                                            defaults={"relationship": Relationship.SPOUSE})
        patient_self = self._user("demo-patient", email="patient3@example.org",
                                  first_name="Châu", last_name="Lê")
        patient_self.groups.add(families)
        CaregiverLink.objects.get_or_create(user=patient_self, patient=patients[2],
                                            defaults={"relationship": Relationship.SELF})
        return team, patients

    def _history(self, team: CareTeam, patients: list[Patient]) -> None:
        """Past reports and alerts; filled in once reports can be submitted."""
