"""Throttles: password-reset e-mails per address and hour, invitation links per client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.models import Notification
from tests.factories import FamilyUserFactory

pytestmark = pytest.mark.django_db
PER_HOUR = settings.IMMUNOWATCH_PASSWORD_RESETS_PER_HOUR
START = dt.datetime(2026, 12, 1, 9, 5, tzinfo=dt.UTC)


def ask_reset(client: Client, email: str, address: str = "10.1.1.1") -> Any:
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def resets_to(email: str) -> int:
    return Notification.objects.filter(
        purpose=Notification.Purpose.PASSWORD_RESET, address=email
    ).count()


def test_at_most_three_reset_e_mails_per_address_and_hour(client: Client) -> None:
    assert PER_HOUR == 3
    user = FamilyUserFactory.create(email="lan@example.org")
    with time_machine.travel(START) as clock:
        for attempt in range(PER_HOUR + 2):
            # From different machines: the e-mail address is what counts here.
            response = ask_reset(client, user.email, address=f"10.1.1.{attempt}")
            # Past the limit the page answers as ever: it never tells who has an account.
            assert response.status_code == 302
            assert response["Location"] == reverse("password_reset_done")
        assert resets_to(user.email) == PER_HOUR
        clock.shift(dt.timedelta(hours=1, minutes=1))
        ask_reset(client, user.email)
        assert resets_to(user.email) == PER_HOUR + 1


def test_the_address_counts_whatever_its_case(client: Client) -> None:
    FamilyUserFactory.create(email="lan@example.org")
    with time_machine.travel(START):
        for typed in ["lan@example.org", "LAN@example.org", " Lan@Example.org", "lan@example.org"]:
            ask_reset(client, typed, address=f"10.2.0.{len(typed)}")
    assert resets_to("lan@example.org") == PER_HOUR


def test_one_client_asking_for_many_addresses_is_told_to_wait(client: Client) -> None:
    with time_machine.travel(START):
        for index in range(3 * PER_HOUR):
            assert ask_reset(client, f"person{index}@example.org").status_code == 302
        response = ask_reset(client, "one-more@example.org")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert f"tel:{settings.IMMUNOWATCH_EMERGENCY_NUMBER}" in page


def test_with_the_cache_down_a_reset_is_still_sent(client: Client, monkeypatch: Any) -> None:
    user = FamilyUserFactory.create(email="lan@example.org")

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    monkeypatch.setattr("reporting.security.throttle.get_usage", down)
    assert ask_reset(client, user.email).status_code == 302
    assert resets_to(user.email) == 1


def test_wrong_invitation_links_are_throttled_per_client(
    client: Client, nurse: Any, patient: Any
) -> None:
    tries = settings.IMMUNOWATCH_INVITATION_TRIES_PER_HOUR
    _invitation, token = services.invitation_create(
        created_by=nurse, patient=patient, email="minh@example.org", relationship="child"
    )
    with time_machine.travel(START) as clock:
        for index in range(tries):
            wrong = client.get(
                reverse("invitation_link", args=[f"guess-{index}"]), REMOTE_ADDR="10.9.9.9"
            )
            assert wrong.status_code == 404
        # Now even the right link waits, from that address only.
        blocked = client.get(reverse("invitation_link", args=[token]), REMOTE_ADDR="10.9.9.9")
        assert blocked.status_code == 429
        assert client.get(reverse("invitation_accept"), REMOTE_ADDR="10.9.9.9").status_code == 429
        other = Client()
        works = other.get(reverse("invitation_link", args=[token]), REMOTE_ADDR="10.8.8.8")
        assert works.status_code == 302
        clock.shift(dt.timedelta(hours=1, minutes=1))
        again = client.get(reverse("invitation_link", args=[token]), REMOTE_ADDR="10.9.9.9")
        assert again.status_code == 302


def test_a_right_invitation_link_does_not_count(client: Client, nurse: Any, patient: Any) -> None:
    _invitation, token = services.invitation_create(
        created_by=nurse, patient=patient, email="minh@example.org", relationship="child"
    )
    for _ in range(settings.IMMUNOWATCH_INVITATION_TRIES_PER_HOUR + 2):
        assert client.get(reverse("invitation_link", args=[token])).status_code == 302
