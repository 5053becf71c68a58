"""Sessions read through the cache (production with Redis: reporting/security/sessions.py):
kept in the database, cached copies short-lived, everything working while the cache is down."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from reporting.security import sessions
from tests.factories import FamilyUserFactory
from tests.reporting.security.conftest import log_in, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions(settings: Any) -> None:
    # A cache of this process (its clock follows time_machine), as Redis would hold them.
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "reporting.security.sessions"


def _home_status(client: Any) -> int:
    return int(client.get(reverse("family_home")).status_code)


def test_signed_in_requests_read_the_session_from_the_cache(client: Any) -> None:
    family = FamilyUserFactory.create()
    assert log_in(client, family.username).status_code == 302
    key = client.session.session_key
    assert caches["sessions"].get(sessions.SessionStore.cache_key_prefix + key) is not None
    assert _home_status(client) == 200


def test_a_cached_copy_lives_minutes_not_the_whole_session(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeouts: list[float | None] = []
    real_set = caches["sessions"].set

    def spy(key: str, value: Any, timeout: float | None = None, **kwargs: Any) -> None:
        timeouts.append(timeout)
        real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(caches["sessions"], "set", spy)
    family = FamilyUserFactory.create()
    log_in(client, family.username)
    assert timeouts
    assert all(t is not None and t <= sessions.CACHE_SECONDS for t in timeouts)


def test_everything_works_while_the_cache_is_down(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("Redis is unreachable")

    for method in ("get", "set", "delete", "has_key", "__contains__"):
        monkeypatch.setattr(caches["sessions"], method, down, raising=False)
    monkeypatch.setattr(type(caches["sessions"]), "__contains__", down)
    family = FamilyUserFactory.create()
    assert log_in(client, family.username).status_code == 302
    assert signed_in(client)
    assert _home_status(client) == 200
    assert client.post(reverse("logout")).status_code == 302
    assert _home_status(client) == 302  # to the log-in page


def test_a_copy_the_sign_out_could_not_delete_is_gone_within_minutes(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    family = FamilyUserFactory.create()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        log_in(client, family.username)
        old_cookie = client.cookies["sessionid"].value

        def down(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("Redis is unreachable")

        with monkeypatch.context() as patch:
            patch.setattr(caches["sessions"], "delete", down)
            client.post(reverse("logout"))
        client.cookies["sessionid"] = old_cookie  # someone kept the old cookie
        traveller.move_to(start + dt.timedelta(minutes=5, seconds=1))  # of a 12-hour session
        assert _home_status(client) == 302


def test_a_copy_is_not_used_past_the_session_end_whatever_the_cache_keeps(
    client: Any, nurse: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis expires keys on its own clock: the copy itself says when the session ends."""
    real_set = caches["sessions"].set

    def keeps_for_ever(key: str, value: Any, timeout: float | None = None, **kw: Any) -> None:
        real_set(key, value, None, **kw)

    monkeypatch.setattr(caches["sessions"], "set", keeps_for_ever)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(nurse)
        assert client.get(reverse("triage_queue")).status_code == 200
        traveller.move_to(start + dt.timedelta(minutes=31))  # a staff session's idle end
        response = client.get(reverse("triage_queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_something_else_in_the_cache_under_the_key_is_a_miss_not_an_error(
    client: Any, db: Any
) -> None:
    family = FamilyUserFactory.create()
    log_in(client, family.username)
    key = sessions.SessionStore.cache_key_prefix + client.session.session_key
    for foreign in ({"_auth_user_id": "1"}, "junk", (1, 2, 3)):
        caches["sessions"].set(key, foreign)
        assert _home_status(client) == 200  # read from the database again
