"""No health details leave the building: messages, webhook payloads and logs carry the level,
the care team and a link, never a symptom, grade, reason or the patient's name."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest

from reporting.channels.webhook import payload_for
from reporting.models import Alert, Notification
from reporting.notifications import render_message
from reporting.services import (
    alert_raise_for_report,
    alerts_escalate_overdue,
    digests_send,
    notification_deliver,
)
from tests.reporting.alerts.helpers import EMERGENCY, MONITOR, URGENT, another_patient, make_report
from tests.reporting.alerts.webhook_server import webhook_receiver
from tests.support.privacy import health_words, leaks

pytestmark = pytest.mark.django_db

NOTE = "Bloody stools since Tuesday, very tired"


def _forbidden(patient: Any) -> list[str]:
    return health_words(patient, NOTE)


def _every_kind_of_notification(ward: dict[str, Any]) -> list[Notification]:
    for symptoms in (URGENT, EMERGENCY, MONITOR):
        patient = another_patient(ward)
        alert = alert_raise_for_report(report=make_report(patient, symptoms, note=NOTE))
        assert alert is not None
        Alert.objects.filter(pk=alert.pk).update(due_at=alert.created_at)
    alerts_escalate_overdue()
    digests_send()
    rows = list(Notification.objects.all())
    assert {row.purpose for row in rows} == {"alert", "escalation", "digest"}
    assert {row.channel for row in rows} == {"email", "sms", "webhook"}
    return rows


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_message_carries_health_details(
    ward: dict[str, Any], publisher: Any, language: str
) -> None:
    forbidden = _forbidden(ward["patient"])
    for row in _every_kind_of_notification(ward):
        row.language = language
        message = render_message(row)
        text = "\n".join(
            [
                message.subject,
                message.body,
                message.short_text,
                json.dumps(payload_for(message), ensure_ascii=False),
            ]
        )
        assert leaks(text, forbidden) == [], (row.purpose, row.channel)
        assert ward["team"].name in message.short_text
        assert message.link in message.short_text and message.link in message.body


def test_alert_messages_say_level_team_and_link_only(ward: dict[str, Any], publisher: Any) -> None:
    alert = alert_raise_for_report(report=make_report(ward["patient"], URGENT, note=NOTE))
    assert alert is not None
    row = Notification.objects.get(alert=alert, channel="sms")
    message = render_message(row)
    assert message.short_text == (
        "New URGENT alert for a patient of Ward 7 oncology. "
        f"Open: https://immunowatch.example.org/triage/alerts/{alert.pk}/"
    )
    assert re.fullmatch(r"https://immunowatch\.example\.org/[a-z/]+/\d+/", message.link)


def test_logs_carry_ids_only(
    ward: dict[str, Any], publisher: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="reporting"), webhook_receiver() as pager:
        rows = _every_kind_of_notification(ward)
        Notification.objects.filter(channel="webhook").update(address=pager.url)
        for row in rows:
            assert notification_deliver(notification_id=row.pk) == "sent"
    assert len(pager.requests) == 5  # urgent and emergency alerts, three escalations
    assert "notifications written" in caplog.text and "sent (attempt 1)" in caplog.text
    forbidden = [*_forbidden(ward["patient"]), ward["team"].name, ward["on_duty"].email]
    assert leaks(caplog.text, forbidden) == []
