"""Shared fixtures: the people of a small hospital, and settings safe for the test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from reporting.models import User
from tests.factories import (
    CaregiverLinkFactory,
    CareTeamFactory,
    FamilyUserFactory,
    NurseFactory,
    PatientFactory,
)
from tests.support.auth import force_login_with_second_factor


def pytest_report_header(config: pytest.Config) -> list[str]:
    broker = django_settings.CELERY_BROKER_URL.split("@")[-1]
    database = django_settings.DATABASES["default"]
    where = database.get("HOST") or database.get("NAME")
    return [
        f"immunowatch: database={database['ENGINE'].rsplit('.', 1)[-1]} ({where}), "
        f"broker={broker.split('://')[0]}://{broker.split('://')[-1]}",
    ]


@pytest.fixture(autouse=True)
def _plain_http(settings: Any) -> None:
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # Production uses hashed names from `collectstatic`; tests read the files where they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _cache_cleared() -> Any:
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _language_reset() -> Any:
    """A request in Vietnamese leaves Vietnamese active in the thread (LocaleMiddleware sets
    it, nothing unsets it): each test starts in the default language, whatever ran before."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests/support/auth.py: a forced log-in is a complete one, two-factor code included.
    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture
def care_team(db: Any) -> Any:
    return CareTeamFactory.create()


@pytest.fixture
def nurse(care_team: Any) -> User:
    return NurseFactory.create(care_teams=[care_team])


@pytest.fixture
def patient(care_team: Any) -> Any:
    return PatientFactory.create(care_team=care_team)


@pytest.fixture
def family(patient: Any) -> User:
    user = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=user, patient=patient)
    return user


@pytest.fixture
def nurse_client(client: Client, nurse: User) -> Client:
    """The test client, logged in as `nurse`."""
    client.force_login(nurse)
    return client


@pytest.fixture
def outsider(db: Any) -> User:
    """A nurse of another care team."""
    return NurseFactory.create(care_teams=[CareTeamFactory.create()])


@pytest.fixture
def stranger_patient(db: Any) -> Any:
    """A patient of another care team, with their own family member."""
    other = PatientFactory.create(care_team=CareTeamFactory.create())
    CaregiverLinkFactory.create(user=FamilyUserFactory.create(), patient=other)
    return other


@pytest.fixture
def db_vendor(db: Any) -> str:
    return connection.vendor
