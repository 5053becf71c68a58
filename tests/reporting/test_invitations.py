"""Invitations: single-use, expiring links; only a hash is stored; the e-mail holds no details."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reporting.models import CaregiverLink, Invitation
from tests.factories import PASSWORD, FamilyUserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet river morning tea"


def invite(client: Any, nurse: Any, patient: Any, django_capture_on_commit_callbacks: Any) -> str:
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("patient_invite", args=[patient.pk]),
            {"name": "Minh", "email": "Minh@Example.org", "relationship": "child"},
        )
    assert response.status_code == 200
    link = re.search(r'<code id="invite-link">([^<]+)</code>', response.content.decode())
    assert link, "the link is shown to the nurse once"
    client.logout()
    return link.group(1).split("/invite/")[1].strip("/")


def accept(client: Any, token: str, username: str = "minh") -> Any:
    return client.post(
        reverse("invitation_accept", args=[token]),
        {"first_name": "Minh", "username": username, "password1": NEW_PASSWORD,
         "password2": NEW_PASSWORD},
    )


def test_invitation_is_emailed_and_stored_hashed(
    client: Any, nurse: Any, patient: Any, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.email == "minh@example.org"
    (mail,) = mailoutbox
    assert mail.to == ["minh@example.org"]
    assert token in mail.body
    # No health detail: not even who the patient is.
    assert patient.full_name not in mail.body + mail.subject
    assert "atezolizumab" not in mail.body


def test_accepting_creates_a_linked_family_account_and_logs_in(
    client: Any, nurse: Any, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    response = accept(client, token)
    assert response.status_code == 302
    link = CaregiverLink.objects.get(patient=patient, user__username="minh")
    assert link.relationship == "child"
    assert link.user.groups.filter(name="family").exists()
    assert link.user.check_password(NEW_PASSWORD)
    assert client.get(reverse("patient_detail", args=[patient.pk])).status_code == 200
    assert Invitation.objects.get().accepted_by == link.user


def test_a_used_invitation_is_refused(
    client: Any, nurse: Any, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    accept(client, token)
    client.logout()
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 404
    response = accept(client, token, username="someone-else")
    assert response.status_code == 404
    assert not CaregiverLink.objects.filter(user__username="someone-else").exists()


def test_an_expired_invitation_is_refused(
    client: Any, nurse: Any, patient: Any, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)
    with time_machine.travel(later):
        response = accept(client, token)
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert not CaregiverLink.objects.filter(patient=patient).exists()


def test_an_unknown_token_is_refused(client: Any, db: Any) -> None:
    assert client.get(reverse("invitation_accept", args=["not-a-token"])).status_code == 404


def test_weak_password_is_refused_beside_the_field(
    client: Any, nurse: Any, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"username": "minh", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not CaregiverLink.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_logged_in_family_member_adds_a_second_patient(
    client: Any, nurse: Any, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    existing = FamilyUserFactory()
    assert client.login(username=existing.username, password=PASSWORD)
    response = client.post(reverse("invitation_accept", args=[token]), {"link_me": "1"})
    assert response.status_code == 302
    assert CaregiverLink.objects.filter(user=existing, patient=patient).exists()


def test_nurse_cannot_invite_for_another_teams_patient(
    client: Any, nurse: Any, stranger_patient: Any
) -> None:
    client.force_login(nurse)
    response = client.post(
        reverse("patient_invite", args=[stranger_patient.pk]),
        {"email": "x@example.org", "relationship": "child"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
