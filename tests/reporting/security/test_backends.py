"""The sign-in backend reads the user and their role groups in one query per request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import User
from reporting.roles import FAMILY_GROUP, NURSE_GROUP, is_admin, is_family, is_nurse
from reporting.security.backends import RolesModelBackend
from tests.factories import PASSWORD, FamilyUserFactory, NurseFactory, UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "reporting.security.backends.RolesModelBackend"


def loaded(user: User) -> tuple[User | None, int]:
    """The backend's user for `user`'s id, with its roles asked, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        found = RolesModelBackend().get_user(user.pk)
        if found is not None:
            is_nurse(found), is_family(found)
    return found, len(queries.captured_queries)


@pytest.mark.parametrize(
    ("make", "nurse", "family"),
    [
        (lambda: FamilyUserFactory.create(), False, True),
        (lambda: NurseFactory.create(), True, False),
        (lambda: UserFactory.create(), False, False),
    ],
    ids=["family", "nurse", "no group"],
)
def test_the_user_and_their_roles_in_one_query(make: Any, nurse: bool, family: bool) -> None:
    user = make()
    found, queries = loaded(user)
    assert found == user
    assert (is_nurse(found), is_family(found)) == (nurse, family)
    assert queries == 1


def test_every_field_is_loaded_as_the_orm_would(db: Any) -> None:
    user = NurseFactory.create(display_name="Nguyễn Thị Hoa", language="vi", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=FAMILY_GROUP)[0])  # two groups: two rows
    found, queries = loaded(user)
    assert found is not None and queries == 1
    assert found.get_deferred_fields() == set()
    expected = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert (is_nurse(found), is_family(found), is_admin(found)) == (True, True, True)
    assert found.check_password(PASSWORD)


def test_nobody_for_an_unknown_a_mangled_or_an_inactive_user(db: Any) -> None:
    backend = RolesModelBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user("not a number") is None
    assert backend.get_user(None) is None
    inactive = FamilyUserFactory.create(is_active=False)
    assert backend.get_user(inactive.pk) is None


def test_a_group_taken_away_counts_from_the_next_request(client: Any, db: Any) -> None:
    nurse = NurseFactory.create()
    client.force_login(nurse)
    assert client.get(reverse("triage_queue")).status_code == 200
    nurse.groups.remove(Group.objects.get(name=NURSE_GROUP))
    assert client.get(reverse("triage_queue")).status_code in (302, 403, 404)


def test_a_log_in_is_remembered_with_this_backend(client: Any, settings: Any) -> None:
    settings.IMMUNOWATCH_REQUIRE_STAFF_2FA = False
    family = FamilyUserFactory.create()
    response = client.post(reverse("login"), {"username": family.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == BACKEND


def test_a_session_from_before_keeps_working(client: Any, db: Any) -> None:
    """Sessions signed in with Django's own ModelBackend (before this one) stay signed in."""
    family = FamilyUserFactory.create()
    session = client.session
    session.update(
        {
            SESSION_KEY: str(family.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: family.get_session_auth_hash(),
        }
    )
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.get(reverse("home"))
    assert response.wsgi_request.user == family
