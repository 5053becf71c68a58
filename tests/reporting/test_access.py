"""Who may open which patient's pages: the denial matters as much as the access."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.models import User
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory

pytestmark = pytest.mark.django_db


def login(client: Any, user: User) -> None:
    client.force_login(user)


def test_family_member_sees_their_own_patient(client: Any, family: User, patient: Any) -> None:
    login(client, family)
    response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert response.status_code == 200
    assert patient.full_name in response.content.decode()


def test_family_member_cannot_open_another_patients_page(
    client: Any, family: User, stranger_patient: Any
) -> None:
    login(client, family)
    response = client.get(reverse("patient_detail", args=[stranger_patient.pk]))
    assert response.status_code == 404
    assert stranger_patient.full_name not in response.content.decode()


def test_nurse_sees_patients_of_their_care_team(client: Any, nurse: User, patient: Any) -> None:
    login(client, nurse)
    assert client.get(reverse("patient_detail", args=[patient.pk])).status_code == 200
    listing = client.get(reverse("nurse_home")).content.decode()
    assert patient.full_name in listing


def test_nurse_cannot_open_a_patient_of_another_care_team(
    client: Any, nurse: User, stranger_patient: Any
) -> None:
    login(client, nurse)
    assert client.get(reverse("patient_detail", args=[stranger_patient.pk])).status_code == 404
    assert client.get(reverse("patient_invite", args=[stranger_patient.pk])).status_code == 404
    assert stranger_patient.full_name not in client.get(reverse("nurse_home")).content.decode()


def test_family_member_cannot_use_nurse_pages(client: Any, family: User, patient: Any) -> None:
    login(client, family)
    assert client.get(reverse("nurse_home")).status_code == 403
    assert client.get(reverse("patient_enroll")).status_code == 403
    assert client.get(reverse("patient_invite", args=[patient.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client: Any, patient: Any) -> None:
    response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nurse_enrolls_a_patient_into_their_own_team(
    client: Any, nurse: User, care_team: Any
) -> None:
    login(client, nurse)
    response = client.post(
        reverse("patient_enroll"),
        {
            "full_name": "Phạm Thị Dung",
            "hospital_number": "HN-NEW-1",
            "date_of_birth": "1961-05-04",
            "preferred_language": "vi",
            "care_team": care_team.pk,
            "regimen": ["atezolizumab", "bevacizumab"],
        },
    )
    assert response.status_code == 302
    enrolled = care_team.patients.get(hospital_number="HN-NEW-1")
    assert enrolled.regimen == ["atezolizumab", "bevacizumab"]
    assert enrolled.enrolled_by == nurse


def test_nurse_cannot_enroll_into_another_team(client: Any, nurse: User) -> None:
    other_team = CareTeamFactory.create()
    login(client, nurse)
    response = client.post(
        reverse("patient_enroll"),
        {
            "full_name": "X",
            "hospital_number": "HN-X",
            "date_of_birth": "1961-05-04",
            "preferred_language": "vi",
            "care_team": other_team.pk,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert "care_team" in response.context["form"].errors
    assert not other_team.patients.exists()


def test_nurse_in_two_teams_sees_both(client: Any, patient: Any) -> None:
    second = PatientFactory.create(care_team=CareTeamFactory.create())
    nurse = NurseFactory.create(care_teams=[patient.care_team, second.care_team])
    login(client, nurse)
    listing = client.get(reverse("nurse_home")).content.decode()
    assert patient.full_name in listing and second.full_name in listing
