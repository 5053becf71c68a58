"""Lockout (django-axes): wrong passwords per user name and per address, the cooling-off
period, the page a locked-out person sees, and unlocking in the admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import FamilyUserFactory, UserFactory
from tests.reporting.security.conftest import log_in, signed_in

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def test_the_limit_is_between_5_and_10_and_the_wait_half_an_hour() -> None:
    assert 5 <= LIMIT <= 10
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_wrong_passwords_below_the_limit_only_say_the_password_is_wrong(
    client: Client, nurse: Any
) -> None:
    for _ in range(LIMIT - 1):
        response = log_in(client, nurse.username, "wrong-password")
        assert response.status_code == 200
        assert response.context["form"].errors
    assert signed_in(log_in_and_keep(client, nurse.username))


def log_in_and_keep(client: Client, username: str) -> Client:
    log_in(client, username)
    return client


def test_a_locked_account_stays_locked_for_the_right_password(client: Client, nurse: Any) -> None:
    for _ in range(LIMIT):
        response = log_in(client, nurse.username, "wrong-password")
    assert response.status_code == 429
    response = log_in(client, nurse.username)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Log-in is paused for this account" in page
    assert "30 minutes" in page
    assert f'href="tel:{settings.IMMUNOWATCH_HOTLINE.replace(" ", "")}"' in page


def test_the_user_name_counts_whatever_its_case_and_spaces(client: Client, nurse: Any) -> None:
    for index in range(LIMIT):
        typed = nurse.username.upper() if index % 2 else f" {nurse.username} "
        log_in(client, typed, "wrong-password")
    assert log_in(client, nurse.username).status_code == 429


def test_the_lock_holds_from_another_address_and_ends_after_the_cooling_off(
    client: Client, nurse: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(LIMIT):
            log_in(client, nurse.username, "wrong-password", REMOTE_ADDR="10.0.0.1")
        other = Client()
        assert log_in(other, nurse.username, REMOTE_ADDR="10.0.0.2").status_code == 429
        clock.shift(dt.timedelta(minutes=29))
        assert log_in(other, nurse.username, REMOTE_ADDR="10.0.0.2").status_code == 429
        clock.shift(dt.timedelta(minutes=31))
        response = log_in(other, nurse.username, REMOTE_ADDR="10.0.0.2")
        assert response.status_code == 302
        assert signed_in(other)


def test_one_address_trying_many_user_names_is_locked_out(client: Client) -> None:
    victims = [UserFactory.create() for _ in range(LIMIT)]
    for victim in victims:
        log_in(client, victim.username, "wrong-password", REMOTE_ADDR="203.0.113.9")
    someone = FamilyUserFactory.create()
    assert log_in(client, someone.username, REMOTE_ADDR="203.0.113.9").status_code == 429
    elsewhere = Client()
    assert log_in(elsewhere, someone.username, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_families_are_locked_out_too(client: Client, family: Any) -> None:
    for _ in range(LIMIT):
        log_in(client, family.username, "wrong-password")
    assert log_in(client, family.username).status_code == 429


def test_a_right_password_before_the_limit_starts_the_count_again(
    client: Client, nurse: Any
) -> None:
    for _ in range(LIMIT - 1):
        log_in(client, nurse.username, "wrong-password")
    assert log_in(client, nurse.username).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        log_in(client, nurse.username, "wrong-password")
    assert log_in(client, nurse.username).status_code == 302


def test_an_admin_unlocks_the_account_in_the_admin(client: Client, nurse: Any) -> None:
    for _ in range(LIMIT):
        log_in(client, nurse.username, "wrong-password")
    admin_client = Client()
    admin_client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert nurse.username in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username=nurse.username)
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    # The address's own count went with the row; the nurse logs in at once.
    assert log_in(client, nurse.username).status_code == 302
    assert signed_in(client)


def test_the_lockout_page_is_in_vietnamese_for_a_vietnamese_reader(
    client: Client, nurse: Any
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    for _ in range(LIMIT):
        response = log_in(client, nurse.username, "wrong-password")
    assert response.status_code == 429
    assert "Log-in is paused" not in response.content.decode()


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings: Any) -> None:
    from django.test import RequestFactory

    from reporting.security.addresses import client_address, client_address_or_none

    settings.IMMUNOWATCH_PROXY_COUNT = 1
    factory = RequestFactory()
    forwarded = factory.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert client_address(forwarded) == "203.0.113.5"  # the client's own part is not believed
    garbage = factory.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")
    assert client_address(garbage) == "10.0.0.1"
    settings.IMMUNOWATCH_PROXY_COUNT = 0
    assert client_address(forwarded) == "127.0.0.1"
    nothing = factory.get("/", REMOTE_ADDR="")
    assert client_address(nothing) == "" and client_address_or_none(nothing) is None
