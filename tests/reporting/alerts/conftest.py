"""Fixtures for the alerts and notifications tests."""

from __future__ import annotations

from typing import Any

import pytest

from reporting.channels.sms import LocmemSmsBackend
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.alerts.helpers import RecordingPublisher

WEBHOOK_SECRET = "test-webhook-secret-0123456789"


@pytest.fixture(autouse=True)
def _notification_settings(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.IMMUNOWATCH_SMS_BACKEND = "reporting.channels.sms.LocmemSmsBackend"
    settings.IMMUNOWATCH_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.SITE_URL = "https://immunowatch.example.org"
    LocmemSmsBackend.outbox.clear()
    # Every ward has six users: Argon2 would make these tests slow for nothing they check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def publisher(monkeypatch: pytest.MonkeyPatch) -> RecordingPublisher:
    recorder = RecordingPublisher()
    monkeypatch.setattr("reporting.notifications.outbox.publish_deliveries", recorder)
    return recorder


@pytest.fixture
def ward(db: Any) -> dict[str, Any]:
    """A care team with two on-duty nurses (one with a phone), one off duty, an escalation
    contact, a webhook, and a patient; plus another team with its own nurse."""
    team = CareTeamFactory.create(
        name="Ward 7 oncology", webhook_url="https://pager.example.org/hook"
    )
    on_duty = NurseFactory.create(care_teams=[team])
    with_phone = NurseFactory.create(care_teams=[team])
    with_phone.memberships.filter(care_team=team).update(phone="+84 90 000 0001")
    off_duty = NurseFactory.create(care_teams=[team], care_teams__on_duty=False)
    contact = NurseFactory.create(care_teams=[team], care_teams__on_duty=False)
    contact.memberships.filter(care_team=team).update(phone="+84 90 000 0099")
    team.escalation_contact = contact
    team.save()
    other_team = CareTeamFactory.create(name="Ward 9 oncology")
    other_nurse = NurseFactory.create(care_teams=[other_team])
    patient = PatientFactory.create(
        care_team=team, full_name="Nguyen Thi Hoa", hospital_number="HN-SECRET-42"
    )
    return {
        "team": team,
        "on_duty": on_duty,
        "with_phone": with_phone,
        "off_duty": off_duty,
        "contact": contact,
        "other_team": other_team,
        "other_nurse": other_nurse,
        "patient": patient,
    }
