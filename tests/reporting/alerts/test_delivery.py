"""Delivering one notification: claim, send once, retry temporary errors, fail permanent ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from celery.utils.time import get_exponential_backoff_interval
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from reporting.channels import Channel, DeliveryError, OutgoingMessage
from reporting.channels.registry import CHANNELS
from reporting.models import AlertEvent, Notification
from reporting.notifications import NotificationRetryLater, Outcome
from reporting.notifications.messages import notified_text
from reporting.selectors import failed_notifications_for
from reporting.services import alert_raise_for_report, notification_deliver, notifications_sweep
from reporting.tasks.notifications import deliver_notification
from tests.factories import FamilyUserFactory
from tests.reporting.alerts.helpers import URGENT, RecordingPublisher, another_patient, make_report

pytestmark = pytest.mark.django_db


class FlakyChannel(Channel):
    """Fails the way it is told to, then (optionally) succeeds."""

    kind = "email"
    errors: list[DeliveryError] = []
    sent: list[str] = []

    def send(self, *, address: str, message: OutgoingMessage) -> None:
        if FlakyChannel.errors:
            raise FlakyChannel.errors.pop(0)
        FlakyChannel.sent.append(message.idempotency_key)


@pytest.fixture
def flaky_email(monkeypatch: pytest.MonkeyPatch) -> type[FlakyChannel]:
    FlakyChannel.errors, FlakyChannel.sent = [], []
    monkeypatch.setitem(CHANNELS, "email", FlakyChannel)
    return FlakyChannel


@pytest.fixture
def email_row(ward: dict[str, Any], publisher: RecordingPublisher) -> Notification:
    alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    return Notification.objects.get(alert=alert, recipient=ward["on_duty"], channel="email")


def test_sends_once_marks_sent_and_records_who_was_told(
    email_row: Notification, ward: dict[str, Any]
) -> None:
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SENT
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts, email_row.last_error) == ("sent", 1, "")
    assert email_row.sent_at is not None and email_row.lease_expires_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ward["on_duty"].email]
    assert message.extra_headers["X-ImmunoWatch-Idempotency-Key"] == email_row.idempotency_key
    event = AlertEvent.objects.get(alert=email_row.alert, kind="notified")
    assert event.actor is None  # the system did it; the note says who was told and how
    # Stored as codes, shown in the reader's language.
    assert event.note == f"notified:alert:email:{ward['on_duty'].username}"
    with translation.override("en"):
        shown = notified_text(event.note)
    assert shown == f"New alert sent by E-mail to {ward['on_duty'].username}"
    with translation.override("vi"):
        assert notified_text(event.note).startswith("Cảnh báo mới")


def test_a_second_delivery_of_the_same_notification_sends_nothing(email_row: Notification) -> None:
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SENT
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SKIPPED
    assert len(mail.outbox) == 1
    assert AlertEvent.objects.filter(alert=email_row.alert, kind="notified").count() == 1


def test_the_message_id_is_the_same_for_every_attempt(email_row: Notification) -> None:
    from reporting.channels.email import message_id_for

    notification_deliver(notification_id=email_row.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id_for(email_row.idempotency_key)
    assert message_id_for(email_row.idempotency_key).endswith("@immunowatch.example.org>")


def test_an_unknown_id_is_skipped(db: Any) -> None:
    assert notification_deliver(notification_id=987654) == Outcome.SKIPPED


def test_a_live_claim_is_not_taken_over_but_an_expired_one_is(email_row: Notification) -> None:
    now = timezone.now()
    Notification.objects.filter(pk=email_row.pk).update(
        status="sending", attempts=1, lease_expires_at=now + dt.timedelta(seconds=60)
    )
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SKIPPED
    assert mail.outbox == []
    # The sender was killed: its lease runs out and the next delivery sends it.
    Notification.objects.filter(pk=email_row.pk).update(
        lease_expires_at=now - dt.timedelta(seconds=1)
    )
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SENT
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts, len(mail.outbox)) == ("sent", 2, 1)


def test_a_temporary_error_leaves_it_pending_and_asks_for_a_retry(
    email_row: Notification, flaky_email: type[FlakyChannel]
) -> None:
    flaky_email.errors = [DeliveryError("mail server unreachable (ConnectionRefusedError)")]
    with pytest.raises(NotificationRetryLater):
        notification_deliver(notification_id=email_row.pk)
    email_row.refresh_from_db()
    assert email_row.status == "pending"
    assert email_row.attempts == 1
    assert email_row.last_error == "mail server unreachable (ConnectionRefusedError)"
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SENT
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts, email_row.last_error) == ("sent", 2, "")


def test_too_many_temporary_errors_end_failed(
    email_row: Notification, flaky_email: type[FlakyChannel], settings: Any
) -> None:
    settings.IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS = 3
    flaky_email.errors = [DeliveryError("timeout") for _ in range(5)]
    for _ in range(2):
        with pytest.raises(NotificationRetryLater):
            notification_deliver(notification_id=email_row.pk)
    assert notification_deliver(notification_id=email_row.pk) == Outcome.FAILED
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts) == ("failed", 3)
    assert email_row.failed_at is not None
    assert notification_deliver(notification_id=email_row.pk) == Outcome.SKIPPED
    assert flaky_email.sent == []


def test_a_permanent_error_fails_at_once_and_shows_on_the_teams_dashboard(
    email_row: Notification, flaky_email: type[FlakyChannel], ward: dict[str, Any]
) -> None:
    flaky_email.errors = [DeliveryError("recipient refused by the mail server", permanent=True)]
    assert notification_deliver(notification_id=email_row.pk) == Outcome.FAILED
    email_row.refresh_from_db()
    assert (email_row.status, email_row.attempts) == ("failed", 1)
    assert list(failed_notifications_for(ward["off_duty"])) == [email_row]
    assert list(failed_notifications_for(ward["other_nurse"])) == []
    assert list(failed_notifications_for(FamilyUserFactory.create())) == []


def test_an_unexpected_exception_counts_as_a_temporary_error(
    email_row: Notification, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(notification: Notification) -> None:
        raise KeyError("template bug")

    monkeypatch.setattr("reporting.notifications.delivery.render_message", broken)
    with pytest.raises(NotificationRetryLater):
        notification_deliver(notification_id=email_row.pk)
    email_row.refresh_from_db()
    assert (email_row.status, email_row.last_error) == ("pending", "KeyError")


def test_the_task_retries_with_bounded_jittered_backoff(settings: Any) -> None:
    task = deliver_notification
    assert task.acks_late and task.reject_on_worker_lost
    assert task.autoretry_for == (NotificationRetryLater,)
    assert task.retry_jitter is True
    assert task.max_retries == settings.IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS
    countdowns = [
        get_exponential_backoff_interval(
            factor=task.retry_backoff,
            retries=retries,
            maximum=task.retry_backoff_max,
            full_jitter=False,
        )
        for retries in range(task.max_retries)
    ]
    assert countdowns == sorted(countdowns) and countdowns[0] < countdowns[-1]
    # Short countdowns only: a Redis countdown beyond the visibility timeout runs twice, and one
    # beyond the sweep delay would race the sweep.
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    assert max(countdowns) <= 60 < settings.IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS < visibility


def test_the_task_ends_failed_after_its_retries(
    email_row: Notification, flaky_email: type[FlakyChannel], settings: Any
) -> None:
    settings.IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS = deliver_notification.max_retries
    flaky_email.errors = [DeliveryError("timeout") for _ in range(20)]
    # Eager apply runs the retries in place (countdowns ignored): the row's count decides.
    deliver_notification.apply(args=[email_row.pk])
    email_row.refresh_from_db()
    assert email_row.status == "failed"
    assert email_row.attempts == settings.IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS


def test_the_sweep_reenqueues_what_the_broker_may_have_lost(
    ward: dict[str, Any], publisher: RecordingPublisher, django_capture_on_commit_callbacks: Any
) -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        alert = alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
        rows = list(Notification.objects.filter(alert=alert).order_by("pk"))
        sent, in_flight, killed, lost = rows[0], rows[1], rows[2], rows[3]
        Notification.objects.filter(pk=sent.pk).update(status="sent", sent_at=start)
        Notification.objects.filter(pk=in_flight.pk).update(
            status="sending", lease_expires_at=start + dt.timedelta(minutes=5)
        )
        Notification.objects.filter(pk=killed.pk).update(
            status="sending", lease_expires_at=start + dt.timedelta(minutes=1)
        )
    with (
        time_machine.travel(start + dt.timedelta(seconds=59), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notifications_sweep() == 0
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_sweep() == 1  # the killed sender's lease ran out
        assert publisher.published == [killed.pk]
    with time_machine.travel(start + dt.timedelta(seconds=121), tick=False):
        publisher.published.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_sweep() == 2  # and pending for 2 minutes: lost with the broker
        assert sorted(publisher.published) == sorted([killed.pk, lost.pk])
        # Handed out again just now: the next sweep leaves the pending one alone for a while.
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_sweep() == 1  # only the expired lease, still unclaimed


def test_a_failure_shows_on_the_next_refresh_of_a_queue_loaded_before(
    email_row: Notification, flaky_email: type[FlakyChannel], ward: dict[str, Any], client: Any
) -> None:
    """The queue keeps its banner between changes (queue_cache.py): a failure is a change."""
    client.force_login(ward["off_duty"])
    assert "could not be delivered" not in client.get(reverse("triage_queue")).content.decode()
    flaky_email.errors = [DeliveryError("recipient refused by the mail server", permanent=True)]
    assert notification_deliver(notification_id=email_row.pk) == Outcome.FAILED
    body = client.get(reverse("triage_queue")).content.decode()
    assert "could not be delivered" in body
    assert reverse("alert_detail", args=[email_row.alert_id]) in body
