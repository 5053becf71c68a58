"""Invitations: single-use, expiring links; only a hash is stored; the e-mail holds no details."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reporting.models import CaregiverLink, Invitation, Notification, User
from tests.factories import FamilyUserFactory, NurseFactory
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet river morning tea"


LINK = re.compile(r'<code id="invite-link">([^<]+)</code>')


def create_invitation(
    client: Any, patient: Any, django_capture_on_commit_callbacks: Any, **fields: str
) -> Any:
    """POST the invitation form as the logged-in nurse; return the response (a redirect)."""
    data = {"name": "Minh", "email": "Minh@Example.org", "relationship": "child", **fields}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("patient_invite", args=[patient.pk]), data)


def invite(client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any) -> str:
    client.force_login(nurse)
    response = create_invitation(client, patient, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    link = LINK.search(client.get(response["Location"]).content.decode())
    assert link, "the link is shown to the nurse once"
    client.logout()
    return link.group(1).split("/invite/")[1].strip("/")


def open_link(client: Any, token: str) -> Any:
    """Open the e-mailed link: a redirect to the token-free form, or the invalid page."""
    return client.get(reverse("invitation_link", args=[token]))


def accept(client: Any, token: str, username: str = "minh") -> Any:
    opened = open_link(client, token)
    if opened.status_code != 302:
        return opened
    return client.post(
        opened["Location"],
        {
            "first_name": "Minh",
            "username": username,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_invitation_is_emailed_and_stored_hashed(
    client: Any,
    nurse: User,
    patient: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.email == "minh@example.org"
    # Through the outbox, like every message; the raw link is kept only until it is sent.
    (notification,) = Notification.objects.filter(invitation=invitation)
    assert token in notification.secret
    (notification,) = deliver_outbox()
    assert (notification.status, notification.secret) == (Notification.Status.SENT, "")
    (mail,) = mailoutbox
    assert mail.to == ["minh@example.org"]
    assert token in mail.body
    # No health detail: not even who the patient is.
    assert patient.full_name not in mail.body + mail.subject
    assert "atezolizumab" not in mail.body


def test_accepting_creates_a_linked_family_account_and_logs_in(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
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
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    accept(client, token)
    client.logout()
    assert open_link(client, token).status_code == 404
    response = accept(client, token, username="someone-else")
    assert response.status_code == 404
    assert not CaregiverLink.objects.filter(user__username="someone-else").exists()


def test_an_expired_invitation_is_refused(
    client: Any,
    nurse: User,
    patient: Any,
    settings: Any,
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
    response = open_link(client, "not-a-token")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert "_invitation_token" not in client.session


def test_weak_password_is_refused_beside_the_field(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    response = client.post(
        open_link(client, token)["Location"],
        {"username": "minh", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not CaregiverLink.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_logged_in_family_member_adds_a_second_patient(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    existing = FamilyUserFactory.create()
    client.force_login(existing)
    response = client.post(open_link(client, token)["Location"], {"link_me": "1"})
    assert response.status_code == 302
    assert CaregiverLink.objects.filter(user=existing, patient=patient).exists()


def test_nurse_cannot_invite_for_another_teams_patient(
    client: Any, nurse: User, stranger_patient: Any
) -> None:
    client.force_login(nurse)
    response = client.post(
        reverse("patient_invite", args=[stranger_patient.pk]),
        {"email": "x@example.org", "relationship": "child"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# --- creating an invitation is POST-redirect-GET --------------------------------------------


def test_creating_an_invitation_redirects_to_a_page_that_shows_the_link_once(
    client: Any,
    nurse: User,
    patient: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(nurse)
    response = create_invitation(client, patient, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_sent", args=[patient.pk, invitation.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    link = LINK.search(page.content.decode())
    assert link
    token = link.group(1).split("/invite/")[1].strip("/")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in response["Location"]
    # The raw token left the session when it was shown; the database only has its hash.
    assert token not in str(dict(client.session.items()))

    reloaded = client.get(response["Location"])
    assert reloaded.status_code == 200
    text = reloaded.content.decode()
    assert token not in text and not LINK.search(text)
    assert "The link was shown once" in text
    assert "send a new invitation" in text
    assert reverse("patient_invite", args=[patient.pk]) in text
    # Reloading created and sent nothing.
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(purpose=Notification.Purpose.INVITATION).count() == 1
    deliver_outbox()
    assert len(mailoutbox) == 1


def test_the_sent_page_is_the_nurses_own(
    client: Any,
    nurse: User,
    patient: Any,
    stranger_patient: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(nurse)
    response = create_invitation(client, patient, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    # Another care team's nurse, or the wrong patient in the address: 404.
    other = Client()
    other.force_login(NurseFactory.create(care_teams=[stranger_patient.care_team]))
    assert other.get(response["Location"]).status_code == 404
    wrong = reverse("invitation_sent", args=[stranger_patient.pk, invitation.pk])
    assert client.get(wrong).status_code == 404
    # Neither shown nor spent the link: the nurse who made it still sees it once.
    assert LINK.search(client.get(response["Location"]).content.decode())


def test_a_refused_invitation_form_stores_and_sends_nothing(
    client: Any,
    nurse: User,
    patient: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(nurse)
    response = create_invitation(
        client, patient, django_capture_on_commit_callbacks, email="not-an-address"
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert not mailoutbox


# --- the token leaves the address bar -------------------------------------------------------


def test_the_emailed_link_continues_at_an_address_without_the_token(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    opened = open_link(client, token)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("invitation_accept") == "/invite/accept/"
    assert client.session["_invitation_token"] == token
    page = client.get(opened["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert token not in html
    # The form posts back to where it is: the token-free address.
    (form,) = re.findall(r"<form[^>]*>", html.split("<main", 1)[-1])
    assert 'method="post"' in form and "action" not in form.replace('action=""', "")
    response = client.post(
        opened["Location"],
        {
            "first_name": "Minh",
            "username": "minh",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert CaregiverLink.objects.filter(patient=patient, user__username="minh").exists()


def test_a_session_without_a_token_gets_the_invalid_page(client: Any, db: Any) -> None:
    for response in (
        client.get(reverse("invitation_accept")),
        client.post(reverse("invitation_accept"), {"username": "minh"}),
        client.post(reverse("invitation_accept"), {"link_me": "1"}),
    ):
        assert response.status_code == 404
        assert "no longer works" in response.content.decode()
    assert not CaregiverLink.objects.exists()


def test_an_invitation_that_expires_while_the_form_is_open_is_refused(
    client: Any,
    nurse: User,
    patient: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    form_url = open_link(client, token)["Location"]
    # It expires while the form is open (well within the session's life).
    Invitation.objects.update(expires_at=timezone.now() + dt.timedelta(minutes=1))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        response = client.post(
            form_url,
            {"username": "minh", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 404
    assert "It has expired" in response.content.decode()
    assert not CaregiverLink.objects.exists()


def test_the_relationship_must_be_chosen_and_the_e_mail_gives_the_numbers(
    client: Any,
    nurse: User,
    patient: Any,
    mailoutbox: list[Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "115"
    settings.IMMUNOWATCH_HOTLINE = "1900 1234"
    client.force_login(nurse)
    url = reverse("patient_invite", args=[patient.pk])
    form = client.get(url).content.decode()
    select = form.split('name="relationship"')[1].split("</select>")[0]
    assert 'value="" selected' in select  # left as it is, it is not "the patient themself"
    refused = client.post(url, {"email": "minh@example.org"})
    assert refused.status_code == 200 and not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "minh@example.org", "relationship": "child", "language": "en"})
    deliver_outbox()
    (mail,) = mailoutbox
    assert "In an emergency, call 115. The 24-hour oncology line is 1900 1234." in mail.body


# --- how the family member is reminded and asked --------------------------------------------


def test_the_reminder_channel_chosen_at_invitation_is_the_links(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(nurse)
    response = create_invitation(
        client,
        patient,
        django_capture_on_commit_callbacks,
        phone="0901 234 567",
        reminder_channel="sms",
    )
    assert response.status_code == 302
    token = LINK.search(client.get(response["Location"]).content.decode()).group(1)  # type: ignore[union-attr]
    client.logout()
    accept(client, token.split("/invite/")[1].strip("/"))
    link = CaregiverLink.objects.get(patient=patient)
    assert (link.reminder_channel, link.phone) == ("sms", "+84901234567")


def test_text_messages_need_a_phone_number(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(nurse)
    response = create_invitation(
        client, patient, django_capture_on_commit_callbacks, reminder_channel="sms"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reminder_channel"] == [
        "A text message needs their phone number."
    ]
    assert not Invitation.objects.exists()


def test_without_a_choice_reminders_go_by_e_mail(
    client: Any, nurse: User, patient: Any, django_capture_on_commit_callbacks: Any
) -> None:
    token = invite(client, nurse, patient, django_capture_on_commit_callbacks)
    accept(client, token)
    assert CaregiverLink.objects.get(patient=patient).reminder_channel == "email"
