"""A patient's history: newest first, level, who reported, and what the nurse did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Alert, Relationship, Report, User
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, NurseFactory
from tests.reporting.reports.helpers import text_of

pytestmark = pytest.mark.django_db


def submit(
    patient: Any,
    user: User,
    symptoms: list[dict[str, Any]],
    days_ago: int,
    role: str = "family",
    relationship: str = "child",
) -> Report:
    return services.report_submit(
        patient=patient,
        reported_by=user,
        reporter_role=role,
        reporter_relationship=relationship,
        symptoms=symptoms,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def history(client: Any, patient_id: int) -> Any:
    return client.get(reverse("patient_history", args=[patient_id]))


def test_reports_are_listed_newest_first_with_level_reporter_and_nurse_action(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    family.first_name, family.last_name = "Minh", "Nguyen"
    family.save()
    nurse.first_name, nurse.last_name = "Hoa", "Pham"
    nurse.save()
    oldest = submit(patient, family, [], days_ago=9)
    resolved = submit(patient, family, [{"code": "rash", "body_area": "medium"}], days_ago=5)
    Alert.objects.filter(reports=resolved).update(
        status=Alert.Status.RESOLVED, outcome=Alert.Outcome.SELF_CARE
    )
    by_nurse = submit(
        patient,
        nurse,
        [{"code": "fever", "temperature_c": 38.6}],
        days_ago=1,
        role="nurse",
        relationship="",
    )
    client.force_login(family)
    response = history(client, patient.pk)
    assert response.status_code == 200
    rows = [row["report"] for row in response.context["rows"]]
    assert rows == [by_nurse, resolved, oldest]
    items = text_of(response.content.decode()).split("See the advice")[:-1]
    assert "Urgent" in items[0] and "A nurse, on the phone — Hoa Pham" in items[0]
    assert "High temperature (fever)" in items[0] and "Waiting for the nurse" in items[0]
    assert "Monitor" in items[1] and "Skin rash" in items[1]
    assert "Dealt with — Self-care advice given" in items[1]
    assert "A family member (Son or daughter) — Minh Nguyen" in items[1]
    assert "Routine" in items[2] and "feeling well (check-in)" in items[2]
    assert "Nothing needed" in items[2]


def test_the_patient_reporting_for_themself_is_shown_as_the_patient(
    client: Any, patient: Any
) -> None:
    me = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=me, patient=patient, relationship=Relationship.SELF)
    submit(patient, me, [], days_ago=0, role="patient", relationship="self")
    client.force_login(me)
    assert "Reported by: The patient" in text_of(history(client, patient.pk).content.decode())


def test_the_care_teams_nurse_sees_the_history(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    report = submit(patient, family, [], days_ago=0)
    client.force_login(nurse)
    response = history(client, patient.pk)
    assert [row["report"] for row in response.context["rows"]] == [report]


def test_someone_elses_history_is_404(client: Any, family: User, stranger_patient: Any) -> None:
    other_family = stranger_patient.caregiver_links.get().user
    submit(stranger_patient, other_family, [], days_ago=0)
    client.force_login(family)
    assert history(client, stranger_patient.pk).status_code == 404
    client.force_login(NurseFactory.create(care_teams=[]))
    assert history(client, stranger_patient.pk).status_code == 404


def test_history_is_paged(client: Any, family: User, patient: Any) -> None:
    for days_ago in range(25):
        submit(patient, family, [], days_ago=days_ago)
    client.force_login(family)
    first = history(client, patient.pk)
    assert len(first.context["rows"]) == 20
    second = client.get(reverse("patient_history", args=[patient.pk]), {"page": 2})
    assert len(second.context["rows"]) == 5


def test_family_home_offers_report_and_history_per_patient(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    page = client.get(reverse("family_home")).content.decode()
    assert f"{reverse('report_new')}?patient={patient.pk}" in page
    assert reverse("patient_history", args=[patient.pk]) in page


def test_the_nurse_can_report_from_the_patient_page(
    client: Any, nurse: User, family: User, patient: Any
) -> None:
    link = f"{reverse('report_new')}?patient={patient.pk}"
    client.force_login(nurse)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Report for this patient (phone call)" in page and link in page
    client.force_login(family)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Report for this patient (phone call)" not in page
