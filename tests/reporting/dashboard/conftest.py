"""Fixtures of the nurse dashboard tests: a second nurse of the same team, another team."""

from __future__ import annotations

from typing import Any

import pytest

from reporting.models import User
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.support.browser import browser_server  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Every report needs a family member, each with a password: Argon2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def other_nurse(care_team: Any) -> User:
    """A second nurse of the same care team."""
    return NurseFactory.create(care_teams=[care_team], first_name="Lan", last_name="Đỗ")


@pytest.fixture
def other_team_patient(db: Any) -> Any:
    """A patient of a care team the `nurse` fixture does not belong to."""
    return PatientFactory.create(care_team=CareTeamFactory.create())
