"""Nurses call patients and families: the numbers are recorded and shown where they call from."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import CaregiverLink, User
from tests.factories import CaregiverLinkFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_enrollment_stores_the_phone_number(client: Any, nurse: User, care_team: Any) -> None:
    client.force_login(nurse)
    response = client.post(
        reverse("patient_enroll"),
        {
            "full_name": "Đặng Văn Em",
            "hospital_number": "HN-PHONE",
            "date_of_birth": "1960-02-03",
            "preferred_language": "vi",
            "care_team": care_team.pk,
            "phone": " 0912 345 678 ",
        },
    )
    assert response.status_code == 302
    assert care_team.patients.get(hospital_number="HN-PHONE").phone == "+84912345678"


def test_invitation_carries_the_family_phone_to_the_link(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("patient_invite", args=[patient.pk]),
            {"email": "son@example.org", "relationship": "child", "phone": "0987 654 321"},
        )
    page = client.get(response["Location"]).content.decode()
    found = re.search(r"/invite/([^/<]+)/", page)
    assert found is not None
    token = found.group(1)
    client.logout()
    password = "quiet river morning tea"
    client.post(
        client.get(reverse("invitation_link", args=[token]))["Location"],
        {"username": "son", "password1": password, "password2": password},
    )
    assert CaregiverLink.objects.get(user__username="son").phone == "+84987654321"


def test_nurse_sees_call_links_on_missed_check_ins_and_patient_page(
    client: Any, nurse: User, care_team: Any
) -> None:
    # Enrolled 8 days ago and never reported: on the missed check-ins list.
    quiet = PatientFactory.create(
        care_team=care_team,
        phone="+84900111222",
        created_at=timezone.now() - dt.timedelta(days=8),
    )
    CaregiverLinkFactory.create(patient=quiet, phone="+84900333444")
    client.force_login(nurse)
    missed = client.get(reverse("missed_checkins")).content.decode()
    assert 'href="tel:+84900111222">0900 111 222<' in missed
    assert 'href="tel:+84900333444">0900 333 444<' in missed
    page = client.get(reverse("nurse_patient", args=[quiet.pk])).content.decode()
    assert 'href="tel:+84900111222">0900 111 222<' in page
    assert 'href="tel:+84900333444">0900 333 444<' in page


def test_family_member_does_not_see_the_record_details(
    client: Any, family: User, patient: Any
) -> None:
    patient.phone = "+84900555666"
    patient.save()
    client.force_login(family)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "0900 555 666" not in page and "+84900555666" not in page
    assert patient.hospital_number not in page
