"""Notifications are written with the report's alert and enqueued only after commit."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from reporting.models import Alert, Notification
from reporting.notifications.outbox import _publish_committed, _write
from reporting.notifications.recipients import Recipient
from reporting.services import alert_raise_for_report
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.alerts.helpers import (
    EMERGENCY,
    MONITOR,
    ROUTINE,
    URGENT,
    RecordingPublisher,
    another_patient,
    make_report,
)

pytestmark = pytest.mark.django_db


def _rows(alert: Alert) -> set[tuple[Any, str, str]]:
    return {
        (n.recipient_id, n.channel, n.address) for n in Notification.objects.filter(alert=alert)
    }


@pytest.mark.parametrize("symptoms", [URGENT, EMERGENCY], ids=["urgent", "emergency"])
def test_urgent_and_emergency_notify_every_on_duty_nurse_and_the_webhook(
    ward: dict[str, Any],
    symptoms: list[dict[str, Any]],
    publisher: RecordingPublisher,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_raise_for_report(report=make_report(another_patient(ward), symptoms))
    assert alert is not None
    on_duty, with_phone = ward["on_duty"], ward["with_phone"]
    assert _rows(alert) == {
        (on_duty.pk, "email", on_duty.email),
        (with_phone.pk, "email", with_phone.email),
        (with_phone.pk, "sms", "+84 90 000 0001"),
        (None, "webhook", "https://pager.example.org/hook"),
    }
    rows = Notification.objects.filter(alert=alert)
    assert {row.status for row in rows} == {"pending"}
    assert {row.purpose for row in rows} == {"alert"}
    assert all(row.care_team_id == ward["team"].pk for row in rows)
    assert sorted(publisher.published) == sorted(row.pk for row in rows)


def test_off_duty_nurses_and_other_teams_are_not_notified(
    ward: dict[str, Any], publisher: RecordingPublisher
) -> None:
    alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    told = set(Notification.objects.filter(alert=alert).values_list("recipient_id", flat=True))
    assert ward["off_duty"].pk not in told
    assert ward["contact"].pk not in told  # the escalation contact is off duty here
    assert ward["other_nurse"].pk not in told


def test_enqueued_only_after_commit(
    ward: dict[str, Any], publisher: RecordingPublisher, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        alert = alert_raise_for_report(report=make_report(another_patient(ward), EMERGENCY))
        assert Notification.objects.filter(alert=alert).count() == 4
    # Written in the transaction, handed to the broker by one callback after commit.
    assert publisher.published == []
    # One of them publishes (the other moves the queue's count on: queue_cache.py).
    publishing = [c for c in callbacks if getattr(c, "func", None) is _publish_committed]
    assert len(publishing) == 1
    for callback in callbacks:
        callback()
    assert len(publisher.published) == 4


def test_a_rolled_back_report_enqueues_nothing(
    ward: dict[str, Any], publisher: RecordingPublisher, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
        raise RuntimeError("report_submit failed after raising the alert")
    assert callbacks == []
    assert publisher.published == []
    assert not Notification.objects.exists()
    assert not Alert.objects.exists()


def test_monitor_waits_for_the_digest_and_routine_notifies_nobody(
    ward: dict[str, Any], publisher: RecordingPublisher, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        monitor = alert_raise_for_report(report=make_report(another_patient(ward), MONITOR))
        routine = alert_raise_for_report(report=make_report(another_patient(ward), ROUTINE))
    assert monitor is not None and monitor.level == "monitor"
    assert routine is None
    assert not Notification.objects.exists()
    assert publisher.published == []


def test_idempotency_keys_name_alert_recipient_channel_and_purpose(
    ward: dict[str, Any], publisher: RecordingPublisher
) -> None:
    alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    assert alert is not None
    keys = set(Notification.objects.filter(alert=alert).values_list("idempotency_key", flat=True))
    nurse = ward["with_phone"]
    assert f"alert-{alert.pk}:alert:user-{nurse.pk}:email" in keys
    assert f"alert-{alert.pk}:alert:user-{nurse.pk}:sms" in keys
    assert f"alert-{alert.pk}:alert:team:webhook" in keys


def test_a_team_with_nobody_on_duty_still_gets_its_webhook(
    publisher: RecordingPublisher, caplog: pytest.LogCaptureFixture
) -> None:
    team = CareTeamFactory.create(webhook_url="https://pager.example.org/night")
    NurseFactory.create(care_teams=[team], care_teams__on_duty=False)
    with caplog.at_level(logging.WARNING):
        alert = alert_raise_for_report(
            report=make_report(PatientFactory.create(care_team=team), URGENT)
        )
    assert alert is not None
    assert _rows(alert) == {(None, "webhook", "https://pager.example.org/night")}
    assert f"care team {team.pk} has no on-duty nurse" in caplog.text


def test_a_dead_broker_neither_fails_nor_loses_the_report(
    ward: dict[str, Any],
    publisher: RecordingPublisher,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    publisher.fail_after = 1  # the broker dies after the first publish (the e-mails' batch)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    assert alert is not None
    rows = list(Notification.objects.filter(alert=alert).order_by("pk"))
    assert [row.channel for row in rows] == ["email", "email", "sms", "webhook"]
    assert publisher.batches == [[rows[0].pk, rows[1].pk]]
    # It gave up at the first failure rather than waiting on the dead broker once more.
    expected = f"notification {rows[2].pk}: broker unavailable (OperationalError); 2 left"
    assert expected in caplog.text
    assert all(row.status == "pending" for row in rows)


def test_snoozed_monitor_symptoms_still_raise_no_alert(
    ward: dict[str, Any], publisher: RecordingPublisher
) -> None:
    import datetime as dt

    from django.utils import timezone

    from reporting.models import Snooze

    Snooze.objects.create(
        patient=ward["patient"], code="diarrhea", until=timezone.now() + dt.timedelta(days=3)
    )
    assert alert_raise_for_report(report=make_report(ward["patient"], MONITOR)) is None
    assert alert_raise_for_report(report=make_report(ward["patient"], URGENT)) is not None


def test_with_nobody_on_duty_the_escalation_contact_is_told_at_once(
    ward: dict[str, Any], publisher: RecordingPublisher
) -> None:
    ward["team"].memberships.update(on_duty=False)
    alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    assert alert is not None
    contact = ward["contact"]
    assert _rows(alert) == {
        (contact.pk, "email", contact.email),
        (contact.pk, "sms", "+84 90 000 0099"),
        (None, "webhook", "https://pager.example.org/hook"),
    }
    assert {row.purpose for row in Notification.objects.filter(alert=alert)} == {"alert"}


def test_an_on_duty_nurse_means_the_contact_waits_for_escalation(
    ward: dict[str, Any], publisher: RecordingPublisher
) -> None:
    alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    told = set(Notification.objects.filter(alert=alert).values_list("recipient_id", flat=True))
    assert ward["contact"].pk not in told


def test_a_notification_about_the_wrong_thing_is_refused_by_the_database(
    ward: dict[str, Any],
) -> None:
    """The subject's rule (an alert's notification names its alert) is the database's check
    constraint: the INSERT fails and nothing is stored."""
    team = CareTeamFactory.create()
    recipient = Recipient("email", "nurse@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        _write(
            care_team=team, purpose=Notification.Purpose.ALERT, subject="x", recipients=[recipient]
        )
    assert not Notification.objects.filter(care_team=team).exists()
