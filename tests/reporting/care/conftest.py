"""Follow-up and treatment cycles: a fixed calendar in the hospital's time zone, so that
"the next morning" and "two days before" are the same dates on every machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone


def at(day: int, hour: int = 15, minute: int = 0) -> dt.datetime:
    """November `day` 2026 at `hour`:`minute`, local (hospital) time."""
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, minute))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock() -> Any:
    """`clock(when)`: travel there (the clock stands still) until the test ends."""
    travellers: list[Any] = []

    def move(when: dt.datetime) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(when, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield move
    for traveller in travellers:
        traveller.stop()
