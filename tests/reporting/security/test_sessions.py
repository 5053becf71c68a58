"""Session length: staff sessions end after 30 minutes without a request, families keep the
usual length; "Log out everywhere" in the admin ends every session of a user."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.reporting.security.conftest import log_in

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_the_defaults() -> None:
    assert settings.IMMUNOWATCH_STAFF_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_a_nurse_idle_for_30_minutes_is_logged_out(client: Client, nurse: Any) -> None:
    with time_machine.travel(START) as clock:
        client.force_login(nurse)
        assert client.get(reverse("triage_queue")).status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("triage_queue")).status_code == 200  # activity moves it on
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("triage_queue")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("triage_queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_session_cookie_of_staff_says_30_minutes(
    client: Client, nurse: Any, settings: Any
) -> None:
    settings.IMMUNOWATCH_REQUIRE_STAFF_2FA = False
    log_in(client, nurse.username)
    client.get(reverse("triage_queue"))
    assert client.session.get_expiry_age() == 30 * 60


def test_an_admin_idle_for_30_minutes_is_logged_out(client: Client) -> None:
    with time_machine.travel(START) as clock:
        client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
        assert client.get(reverse("admin:index")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        assert client.get(reverse("admin:index")).status_code == 302


def test_a_family_member_keeps_the_usual_session(client: Client, family: Any) -> None:
    with time_machine.travel(START) as clock:
        client.force_login(family)
        assert client.get(reverse("family_home")).status_code == 200
        clock.shift(dt.timedelta(hours=3))
        assert client.get(reverse("family_home")).status_code == 200
        assert client.session.get_expiry_age() > 30 * 60


def test_the_idle_period_is_configurable(client: Client, nurse: Any, settings: Any) -> None:
    settings.IMMUNOWATCH_STAFF_IDLE_MINUTES = 5
    with time_machine.travel(START) as clock:
        client.force_login(nurse)
        client.get(reverse("triage_queue"))
        clock.shift(dt.timedelta(minutes=6))
        assert client.get(reverse("triage_queue")).status_code == 302


def test_log_out_everywhere_ends_every_session_of_that_user_only(nurse: Any, outsider: Any) -> None:
    phone, desk, colleague = Client(), Client(), Client()
    phone.force_login(nurse)
    desk.force_login(nurse)
    colleague.force_login(outsider)
    admin_client = Client()
    admin_client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    response = admin_client.post(
        reverse("admin:reporting_user_changelist"),
        {"action": "log_out_everywhere", "_selected_action": [nurse.pk]},
        follow=True,
    )
    assert "1 user was logged out everywhere." in response.content.decode()
    for client in (phone, desk):
        response = client.get(reverse("triage_queue"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert colleague.get(reverse("triage_queue")).status_code == 200
    # Logging in again works as before.
    fresh = Client()
    nurse.refresh_from_db()
    fresh.force_login(nurse)
    assert fresh.get(reverse("triage_queue")).status_code == 200
