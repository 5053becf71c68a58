"""Delivering in batches: each row's outcome is its own, a batch shares one mail connection,
and ids are handed to the broker in batches per channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.utils import timezone

from reporting.channels import Channel, DeliveryError, OutgoingMessage
from reporting.channels.registry import CHANNELS
from reporting.models import AlertEvent, Notification
from reporting.notifications import (
    NotificationRetryLater,
    Outcome,
    delivery,
    delivery_batches,
    notifications_deliver,
)
from reporting.services import alert_raise_for_report, notification_deliver, notifications_sweep
from reporting.tasks.notifications import deliver_notifications
from tests.reporting.alerts.helpers import URGENT, RecordingPublisher, another_patient, make_report

pytestmark = pytest.mark.django_db


class ScriptedChannel(Channel):
    """An e-mail channel that fails, or runs a hook, for the idempotency keys it is told."""

    kind = "email"
    errors: dict[str, list[DeliveryError]] = {}
    hooks: dict[str, Callable[[], None]] = {}
    sent: list[str] = []

    def send(self, *, address: str, message: OutgoingMessage) -> None:
        key = message.idempotency_key
        if key in ScriptedChannel.hooks:
            ScriptedChannel.hooks.pop(key)()
        if ScriptedChannel.errors.get(key):
            raise ScriptedChannel.errors[key].pop(0)
        ScriptedChannel.sent.append(key)


class CountingBackend(LocmemEmailBackend):
    """The in-memory backend, counting the connections opened and closed."""

    opened = 0
    closed = 0

    def open(self) -> bool:
        type(self).opened += 1
        return True

    def close(self) -> None:
        type(self).closed += 1


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> type[ScriptedChannel]:
    ScriptedChannel.errors, ScriptedChannel.hooks, ScriptedChannel.sent = {}, {}, []
    monkeypatch.setitem(CHANNELS, "email", ScriptedChannel)
    return ScriptedChannel


@pytest.fixture
def rows(ward: dict[str, Any], publisher: RecordingPublisher) -> list[Notification]:
    """The on-duty nurse's e-mails about three urgent alerts."""
    for _ in range(3):
        alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    found = Notification.objects.filter(recipient=ward["on_duty"], channel="email")
    return list(found.order_by("pk"))


def _ids(rows: list[Notification]) -> list[int]:
    return [row.pk for row in rows]


def _state(row: Notification) -> tuple[str, int]:
    row.refresh_from_db()
    return (row.status, row.attempts)


def _notified(row: Notification) -> int:
    assert row.alert_id is not None
    return AlertEvent.objects.filter(alert_id=row.alert_id, kind="notified").count()


def test_a_batch_skips_a_row_already_sent_and_sends_the_others_once(
    rows: list[Notification],
) -> None:
    first, second, third = rows
    assert notification_deliver(notification_id=first.pk) == Outcome.SENT
    outcomes = notifications_deliver(notification_ids=_ids(rows))
    assert outcomes == {first.pk: "skipped", second.pk: "sent", third.pk: "sent"}
    keys = [m.extra_headers["X-ImmunoWatch-Idempotency-Key"] for m in mail.outbox]
    assert sorted(keys) == sorted(row.idempotency_key for row in rows)
    assert [_state(row) for row in rows] == [("sent", 1)] * 3
    assert [_notified(row) for row in rows] == [1, 1, 1]
    # Delivered again as a whole (a duplicate message): nothing more goes out.
    assert set(notifications_deliver(notification_ids=_ids(rows)).values()) == {"skipped"}
    assert len(mail.outbox) == 3


def test_a_temporary_failure_of_one_row_does_not_resend_the_others(
    rows: list[Notification], scripted: type[ScriptedChannel]
) -> None:
    first, second, third = rows
    scripted.errors = {second.idempotency_key: [DeliveryError("timeout")]}
    with pytest.raises(NotificationRetryLater):
        notifications_deliver(notification_ids=_ids(rows))
    assert [_state(row) for row in rows] == [("sent", 1), ("pending", 1), ("sent", 1)]
    assert second.last_error == "timeout"
    assert [_notified(row) for row in rows] == [1, 0, 1]
    # The retry carries the same ids: only the pending one is claimed and sent.
    outcomes = notifications_deliver(notification_ids=_ids(rows))
    assert outcomes == {first.pk: "skipped", second.pk: "sent", third.pk: "skipped"}
    assert scripted.sent == [first.idempotency_key, third.idempotency_key, second.idempotency_key]
    assert [_state(row) for row in rows] == [("sent", 1), ("sent", 2), ("sent", 1)]


def test_a_permanent_failure_marks_only_that_row_failed(
    rows: list[Notification], scripted: type[ScriptedChannel]
) -> None:
    first, second, third = rows
    refused = DeliveryError("recipient refused by the mail server", permanent=True)
    scripted.errors = {second.idempotency_key: [refused]}
    outcomes = notifications_deliver(notification_ids=_ids(rows))
    assert outcomes == {first.pk: "sent", second.pk: "failed", third.pk: "sent"}
    assert [_state(row) for row in rows] == [("sent", 1), ("failed", 1), ("sent", 1)]
    assert second.failed_at is not None and second.last_error == refused.message
    assert [_notified(row) for row in rows] == [1, 0, 1]


def test_the_batch_task_retries_until_the_failing_row_is_sent(
    rows: list[Notification], scripted: type[ScriptedChannel]
) -> None:
    second = rows[1]
    scripted.errors = {second.idempotency_key: [DeliveryError("timeout") for _ in range(2)]}
    # Eager apply runs the retries in place (countdowns ignored), with the same ids each time.
    deliver_notifications.apply(args=[_ids(rows)])
    assert [_state(row) for row in rows] == [("sent", 1), ("sent", 3), ("sent", 1)]
    assert sorted(scripted.sent) == sorted(row.idempotency_key for row in rows)


def test_a_batch_out_of_time_hands_back_what_it_did_not_try(
    rows: list[Notification], scripted: type[ScriptedChannel], monkeypatch: pytest.MonkeyPatch
) -> None:
    second = rows[1]
    monkeypatch.setattr(delivery, "BATCH_SEND_SECONDS", -1.0)  # out of time from the start
    with pytest.raises(NotificationRetryLater):
        notifications_deliver(notification_ids=_ids(rows))
    # The first is always tried; the others are pending again, their attempt given back.
    assert [_state(row) for row in rows] == [("sent", 1), ("pending", 0), ("pending", 0)]
    assert second.lease_expires_at is None
    monkeypatch.setattr(delivery, "BATCH_SEND_SECONDS", 30.0)
    notifications_deliver(notification_ids=_ids(rows))
    assert [_state(row) for row in rows] == [("sent", 1)] * 3
    assert sorted(scripted.sent) == sorted(row.idempotency_key for row in rows)


def test_a_row_taken_over_mid_batch_is_left_to_its_new_sender(
    rows: list[Notification], scripted: type[ScriptedChannel]
) -> None:
    second = rows[1]

    def taken_over() -> None:
        # Our lease ran out and another worker claimed the row: its attempt number moved on.
        Notification.objects.filter(pk=second.pk).update(
            attempts=2, lease_expires_at=timezone.now() + dt.timedelta(minutes=3)
        )

    scripted.hooks = {second.idempotency_key: taken_over}
    notifications_deliver(notification_ids=_ids(rows))
    assert [_state(row) for row in rows] == [("sent", 1), ("sending", 2), ("sent", 1)]
    assert [_notified(row) for row in rows] == [1, 0, 1]  # the new sender records its own


def test_a_batch_uses_one_mail_server_connection(rows: list[Notification], settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = CountingBackend.closed = 0
    notifications_deliver(notification_ids=_ids(rows))
    assert (CountingBackend.opened, CountingBackend.closed, len(mail.outbox)) == (1, 1, 3)


def test_ids_are_batched_per_channel_and_webhooks_per_receiver(
    ward: dict[str, Any], publisher: RecordingPublisher, settings: Any
) -> None:
    settings.IMMUNOWATCH_NOTIFICATION_BATCH_SIZE = 2
    for _ in range(3):
        alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    first_webhook = Notification.objects.filter(channel="webhook").order_by("pk").first()
    assert first_webhook is not None
    Notification.objects.filter(pk=first_webhook.pk).update(
        address="https://other-pager.example.org/hook"
    )
    found = list(Notification.objects.order_by("pk"))
    emails, sms, webhooks = (
        [row.pk for row in found if row.channel == kind] for kind in ("email", "sms", "webhook")
    )
    assert (
        delivery_batches(found)
        == [
            emails[0:2],
            emails[2:4],
            emails[4:6],
            sms[0:2],
            sms[2:3],
            webhooks[0:1],  # the other receiver: a slow one delays nobody else's messages
            webhooks[1:3],
        ]
    )


def test_a_report_is_enqueued_as_one_message_per_channel(
    ward: dict[str, Any], publisher: RecordingPublisher, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    email_1, email_2, sms, webhook = Notification.objects.filter(alert=alert).order_by("pk")
    assert publisher.batches == [[email_1.pk, email_2.pk], [sms.pk], [webhook.pk]]


def test_the_sweep_enqueues_in_batches(
    ward: dict[str, Any],
    publisher: RecordingPublisher,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.IMMUNOWATCH_NOTIFICATION_BATCH_SIZE = 3
    for _ in range(2):
        alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    settings.IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_sweep() == 8
    assert [len(batch) for batch in publisher.batches] == [3, 1, 2, 2]  # e-mail, sms, webhook
    assert sorted(publisher.published) == sorted(Notification.objects.values_list("pk", flat=True))
