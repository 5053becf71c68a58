"""Escalation: past the target and not acknowledged, the escalation contact is told, then
again every target period until someone acknowledges. Times are frozen (time-machine)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reporting.models import Alert, AlertEvent, Notification
from reporting.services import alert_escalate, alert_raise_for_report, alerts_escalate_overdue
from reporting.services.alerts import escalate_locked
from tests.reporting.alerts.helpers import EMERGENCY, MONITOR, URGENT, another_patient, make_report

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _at(minutes: float) -> Any:
    return time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False)


def _raise(ward: dict[str, Any], symptoms: list[dict[str, Any]]) -> Alert:
    with _at(0):
        alert = alert_raise_for_report(report=make_report(another_patient(ward), symptoms))
    assert alert is not None
    return alert


def _sweep(minutes: float) -> int:
    with _at(minutes):
        return alerts_escalate_overdue()


def test_urgent_escalates_after_60_minutes_then_every_60(
    ward: dict[str, Any], publisher: Any
) -> None:
    alert = _raise(ward, URGENT)
    assert alert.due_at == START + dt.timedelta(minutes=60)
    assert _sweep(59) == 0
    assert _sweep(60) == 1
    assert _sweep(60) == 0  # a second beat at the same minute escalates nothing more
    assert _sweep(119) == 0
    assert _sweep(120) == 1
    alert.refresh_from_db()
    assert alert.escalation_count == 2
    assert alert.last_escalated_at == START + dt.timedelta(minutes=120)
    events = AlertEvent.objects.filter(alert=alert, kind="escalated")
    assert [(e.actor, e.created_at) for e in events] == [
        (None, START + dt.timedelta(minutes=60)),
        (None, START + dt.timedelta(minutes=120)),
    ]


def test_emergency_escalates_after_15_minutes_and_monitor_after_a_day(
    ward: dict[str, Any], publisher: Any
) -> None:
    emergency, monitor = _raise(ward, EMERGENCY), _raise(ward, MONITOR)
    assert _sweep(14) == 0
    assert _sweep(15) == 1
    assert _sweep(30) == 1
    assert _sweep(24 * 60 - 1) == 1  # the emergency again; the monitor alert not yet due
    assert _sweep(24 * 60) == 1  # the monitor alert; the emergency was escalated a minute ago
    emergency.refresh_from_db()
    monitor.refresh_from_db()
    assert monitor.escalation_count == 1
    assert emergency.escalation_count == 3


def test_targets_come_from_settings(ward: dict[str, Any], publisher: Any, settings: Any) -> None:
    settings.IMMUNOWATCH_ALERT_TARGET_MINUTES = {"emergency": 5, "urgent": 10, "monitor": 60}
    _raise(ward, URGENT)
    assert _sweep(9) == 0
    assert _sweep(10) == 1
    assert _sweep(20) == 1


def test_an_acknowledged_or_resolved_alert_is_not_escalated(
    ward: dict[str, Any], publisher: Any
) -> None:
    acknowledged, resolved = _raise(ward, URGENT), _raise(ward, EMERGENCY)
    Alert.objects.filter(pk=acknowledged.pk).update(status="acknowledged")
    Alert.objects.filter(pk=resolved.pk).update(status="resolved")
    assert _sweep(600) == 0


def test_escalation_stops_once_acknowledged(ward: dict[str, Any], publisher: Any) -> None:
    alert = _raise(ward, URGENT)
    assert _sweep(60) == 1
    Alert.objects.filter(pk=alert.pk).update(status="acknowledged")
    assert _sweep(120) == 0


def test_the_escalation_contact_is_told_on_their_channels_and_the_pager(
    ward: dict[str, Any], publisher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    alert = _raise(ward, URGENT)
    with django_capture_on_commit_callbacks(execute=True):
        _sweep(60)
    rows = Notification.objects.filter(alert=alert, purpose="escalation")
    contact = ward["contact"]
    assert {(r.recipient_id, r.channel, r.address) for r in rows} == {
        (contact.pk, "email", contact.email),
        (contact.pk, "sms", "+84 90 000 0099"),
        (None, "webhook", "https://pager.example.org/hook"),
    }
    assert {r.escalation_number for r in rows} == {1}
    assert f"alert-{alert.pk}-escalation-1:escalation:user-{contact.pk}:email" in {
        r.idempotency_key for r in rows
    }
    assert set(publisher.published) >= {r.pk for r in rows}
    with django_capture_on_commit_callbacks(execute=True):
        _sweep(120)
    assert Notification.objects.filter(alert=alert, purpose="escalation").count() == 6
    assert Notification.objects.filter(alert=alert, escalation_number=2).count() == 3


def test_without_an_escalation_contact_the_on_duty_nurses_are_told_again(
    ward: dict[str, Any], publisher: Any
) -> None:
    ward["team"].escalation_contact = None
    ward["team"].save()
    alert = _raise(ward, URGENT)
    _sweep(60)
    told = set(
        Notification.objects.filter(alert=alert, purpose="escalation").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {ward["on_duty"].pk, ward["with_phone"].pk, None}


def test_a_nurse_escalates_by_hand_and_the_repeat_counts_from_then(
    ward: dict[str, Any], publisher: Any
) -> None:
    alert = _raise(ward, URGENT)
    with _at(10):
        alert_escalate(alert=alert, actor=ward["on_duty"], note="Family not answering the phone")
    event = AlertEvent.objects.get(alert=alert, kind="escalated")
    assert (event.actor, event.note) == (ward["on_duty"], "Family not answering the phone")
    assert _sweep(60) == 0  # escalated 50 minutes ago: the next one is a target period later
    assert _sweep(70) == 1
    alert.refresh_from_db()
    assert alert.escalation_count == 2


def test_a_resolved_alert_cannot_be_escalated_by_hand(ward: dict[str, Any], publisher: Any) -> None:
    alert = _raise(ward, URGENT)
    Alert.objects.filter(pk=alert.pk).update(status="resolved")
    with pytest.raises(ValidationError):
        alert_escalate(alert=alert, actor=ward["on_duty"])
    assert not AlertEvent.objects.filter(alert=alert, kind="escalated").exists()


def test_a_racing_second_escalation_is_refused_by_the_conditional_update(
    ward: dict[str, Any], publisher: Any
) -> None:
    alert = _raise(ward, URGENT)
    stale = Alert.objects.get(pk=alert.pk)  # read by a second beat before the first wrote
    with _at(60):
        assert escalate_locked(alert, actor=None, note="", now=alert.due_at) is True
        assert escalate_locked(stale, actor=None, note="", now=alert.due_at) is False
    assert AlertEvent.objects.filter(alert=alert, kind="escalated").count() == 1
    assert Notification.objects.filter(alert=alert, purpose="escalation").count() == 3
