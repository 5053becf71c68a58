"""Two clicks on one invitation: one success and one "already used" page, never a 500.

The concurrent tests use real threads, each with its own database connection, on PostgreSQL
(where the row lock is what decides); both requests are held until both have passed the
view's own check of the invitation, so the race really is inside the service every time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.models import CaregiverLink, Invitation
from reporting.roles import FAMILY_GROUP
from tests.factories import (
    CareTeamFactory,
    FamilyUserFactory,
    NurseFactory,
    PatientFactory,
)

User = get_user_model()
PASSWORD = "quiet river morning tea"
ALREADY_USED = "This invitation was already used."
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def make_invitation() -> tuple[Any, str]:
    # Transactional tests flush the groups the data migration made.
    Group.objects.get_or_create(name=FAMILY_GROUP)
    team = CareTeamFactory.create()
    patient = PatientFactory.create(care_team=team)
    _invitation, token = services.invitation_create(
        created_by=NurseFactory.create(care_teams=[team]),
        patient=patient,
        email="minh@example.org",
        relationship="child",
        name="Minh",
    )
    return patient, token


def open_invitation(client: Client, token: str) -> str:
    """Open the e-mailed link; return the address the acceptance form posts to."""
    response = client.get(reverse("invitation_link", args=[token]))
    assert response.status_code == 302
    return response["Location"]


def account_form(username: str) -> dict[str, str]:
    return {
        "first_name": "Minh",
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def assert_already_used(response: Any) -> None:
    assert response.status_code == 404
    assert ALREADY_USED in response.content.decode()


# --- one after the other: everywhere --------------------------------------------------------


@pytest.mark.django_db
def test_a_second_add_to_my_account_click_is_told_the_invitation_was_used() -> None:
    patient, token = make_invitation()
    client = Client()
    user = FamilyUserFactory.create()
    client.force_login(user)
    url = open_invitation(client, token)
    assert client.post(url, {"link_me": "1"}).status_code == 302
    assert_already_used(client.post(url, {"link_me": "1"}))
    assert CaregiverLink.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_a_second_create_account_submission_is_told_the_invitation_was_used() -> None:
    patient, token = make_invitation()
    first, second = Client(), Client()
    url = open_invitation(first, token)
    open_invitation(second, token)  # the same link opened in a second tab, before the first
    assert first.post(url, account_form("minh")).status_code == 302
    assert_already_used(second.post(url, account_form("minh-again")))
    assert not User.objects.filter(username="minh-again").exists()
    assert CaregiverLink.objects.filter(patient=patient).count() == 1


# --- at the same moment: PostgreSQL ---------------------------------------------------------


def race(
    monkeypatch: pytest.MonkeyPatch, clients: list[Client], url: str, forms: list[dict[str, str]]
) -> list[Any]:
    """POST each form from its own client, in its own thread, at the same moment."""
    real_accept = services.invitation_accept
    inside = threading.Barrier(len(clients), timeout=30)

    def accept_together(**kwargs: Any) -> Any:
        inside.wait()  # every request has passed the view's check of the invitation
        return real_accept(**kwargs)

    monkeypatch.setattr(services, "invitation_accept", accept_together)
    results: list[Any] = [None] * len(clients)

    def post(index: int) -> None:
        try:
            results[index] = clients[index].post(url, forms[index])
        except Exception as error:  # a 500: the test client re-raises the view's exception
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def one_success_one_used(results: list[Any]) -> None:
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted(r.status_code for r in results) == [302, 404]
    assert_already_used(next(r for r in results if r.status_code == 404))


needs_postgresql: Callable[[Any], Any] = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="row-lock race: runs on PostgreSQL (set DATABASE_URL)"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_add_to_my_account_clicks(monkeypatch: pytest.MonkeyPatch) -> None:
    patient, token = make_invitation()
    user = FamilyUserFactory.create()
    first = Client()
    first.force_login(user)
    url = open_invitation(first, token)
    second = Client()
    second.cookies = first.cookies  # the same browser: one session, two clicks
    results = race(monkeypatch, [first, second], url, [{"link_me": "1"}] * 2)
    one_success_one_used(results)
    assert list(CaregiverLink.objects.filter(patient=patient).values_list("user", flat=True)) == [
        user.pk
    ]
    assert Invitation.objects.get().accepted_by == user


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_create_account_submissions(monkeypatch: pytest.MonkeyPatch) -> None:
    patient, token = make_invitation()
    first, second = Client(), Client()
    url = open_invitation(first, token)
    open_invitation(second, token)
    results = race(
        monkeypatch, [first, second], url, [account_form("minh"), account_form("minh-two")]
    )
    one_success_one_used(results)
    links = CaregiverLink.objects.filter(patient=patient)
    assert links.count() == 1
    assert User.objects.filter(username__in=["minh", "minh-two"]).count() == 1
    assert Invitation.objects.get().accepted_by == links.get().user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("checked_by", "message"),
    [
        ("model validation", "A user with that username already exists."),
        ("database constraint", "This user name is taken. Please choose another."),
    ],
)
def test_a_user_name_taken_meanwhile_is_refused_beside_the_field(
    monkeypatch: pytest.MonkeyPatch, checked_by: str, message: str
) -> None:
    """Another invitation made "minh" between this form's check and the save: no 500."""
    patient, token = make_invitation()
    client = Client()
    url = open_invitation(client, token)
    User.objects.create_user(username="minh", password=PASSWORD)
    from reporting.forms import AcceptInvitationForm

    monkeypatch.setattr(
        AcceptInvitationForm, "clean_username", lambda form: form.cleaned_data["username"]
    )
    if checked_by == "database constraint":
        monkeypatch.setattr(User, "validate_unique", lambda user, exclude=None: None)
    response = client.post(url, account_form("minh"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [message]
    assert not CaregiverLink.objects.filter(patient=patient).exists()
    assert Invitation.objects.get().accepted_at is None
