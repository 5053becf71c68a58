"""Delivering the outbox at least once, never twice.

`notifications_deliver` claims a batch's rows with one compare-and-set (pending, or sending
with an expired lease -> sending, with a lease), sends each through its channel, then marks the
sent ones sent; `notification_deliver` is the same for one id. A row already sent (or being
sent under a live lease) is skipped, so a message the broker delivers twice is sent once. A
worker killed mid-send leaves the message unacknowledged (acks_late) and the rows' leases
expiring: Redis redelivers it, or the outbox sweep re-enqueues them.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from reporting.channels import Channel as ChannelBase
from reporting.channels import DeliveryError, channel_for
from reporting.models import AlertEvent, Notification
from reporting.notifications.messages import notified_note, render_message
from reporting.selectors.queue_cache import NOTIFICATIONS, changed_at_commit

logger = logging.getLogger(__name__)

Purpose = Notification.Purpose
Channel = Notification.Channel
Status = Notification.Status


class NotificationRetryLater(Exception):
    """A temporary delivery failure: the Celery task retries with backoff and jitter."""


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # already sent or failed, gone, or claimed by a live sender
    RETRY = "retry"  # failed temporarily: pending again, the task retries with backoff


# --- delivering -----------------------------------------------------------------------------
#
# Per batch: one UPDATE ... RETURNING claims the rows and one SELECT loads them; each is sent
# through one session per channel (one mail server connection); the sent ones are marked and
# their `notified` events written in one transaction. One delivery used to cost two commits,
# four statements, a mail connection and, with Celery's Django fix-up, a new database
# connection (see README, "Benchmark").

# A batch starts no send after this long: the rest goes back to pending, to be retried, so
# the batch ends inside the task's soft time limit (60 s) even if its last send waits out a
# channel timeout (e-mail 20 s, webhook 10 s).
BATCH_SEND_SECONDS = 30.0
# Sent rows are recorded at least this often during a batch, so a worker killed mid-batch
# leaves little to send twice (receivers dedupe on the idempotency key).
RECORD_SENT_EVERY_SECONDS = 0.5

_TABLE = Notification._meta.db_table
# The claimable rows are locked in id order (PostgreSQL: FOR UPDATE in the subquery), so two
# overlapping batches (a duplicate message, a sweep racing a retry) wait for each other
# instead of deadlocking.
_CLAIM_SQL = """
UPDATE {table}
   SET status = %s, lease_expires_at = %s, attempts = attempts + 1
 WHERE id IN (
       SELECT id FROM {table}
        WHERE id IN ({ids}) AND (status = %s OR (status = %s AND lease_expires_at < %s))
        ORDER BY id{for_update})
RETURNING id, attempts
"""
# (id, attempts) is the claim's token: after a takeover the attempt number has moved on.
_MARK_SENT_SQL = """
UPDATE {table}
   SET status = %s, sent_at = %s, lease_expires_at = NULL, last_error = '', secret = ''
 WHERE status = %s AND (id, attempts) IN (VALUES {tokens})
RETURNING id
"""


def _returning(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    # Raw SQL only where the ORM cannot say it: an UPDATE that tells which rows it changed.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _db_datetime(value: dt.datetime) -> Any:
    # What the ORM would send for a DateTimeField (SQLite stores naive UTC text).
    return connection.ops.adapt_datetimefield_value(value)


def _claim(notification_ids: Sequence[int], now: dt.datetime) -> list[Notification]:
    """Compare-and-set pending (or sending with an expired lease) -> sending, for the whole
    batch in one statement. The rows it returns are this sender's; the attempt number each
    comes with is the token for writing its result."""
    ids = list(dict.fromkeys(notification_ids))
    if not ids:
        return []
    lease_until = now + dt.timedelta(seconds=settings.IMMUNOWATCH_NOTIFICATION_LEASE_SECONDS)
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = _CLAIM_SQL.format(table=_TABLE, ids=", ".join(["%s"] * len(ids)), for_update=for_update)
    params = [Status.SENDING.value, _db_datetime(lease_until), *ids]
    params += [Status.PENDING.value, Status.SENDING.value, _db_datetime(now)]
    claimed = dict(_returning(sql, params))
    if not claimed:
        return []
    rows = list(
        Notification.objects.select_related(
            "care_team",
            "alert",
            "digest",
            "recipient",
            "caregiver_link__user",
            "caregiver_link__patient",
            "invitation",
        )
        .filter(pk__in=claimed)
        .order_by("pk")
    )
    for row in rows:
        row.attempts = claimed[row.pk]
    return rows


def _mine(notification: Notification) -> Any:
    return Notification.objects.filter(
        pk=notification.pk, status=Status.SENDING, attempts=notification.attempts
    )


def _note_for(notification: Notification) -> str:
    # Stored as codes, shown in the reader's language (messages.notified_text).
    who = notification.recipient.get_username() if notification.recipient else ""
    return notified_note(notification.purpose, notification.channel, who)


def _notified_events(notification: Notification, now: dt.datetime) -> list[AlertEvent]:
    # "notified" events have no actor (the system did it); the note names who was told.
    # Reminders and invitations tell about no alert.
    if notification.alert_id is not None:
        alert_ids = [notification.alert_id]
    elif notification.digest is not None:
        alert_ids = list(notification.digest.alerts.values_list("pk", flat=True))
    else:
        return []
    note = _note_for(notification)
    return [
        AlertEvent(alert_id=alert_id, kind=AlertEvent.Kind.NOTIFIED, note=note, created_at=now)
        for alert_id in alert_ids
    ]


def _record_sent(notifications: Sequence[Notification]) -> None:
    """Mark sent and write the `notified` events, for many rows in one transaction. A row
    whose lease expired and was taken over by another sender is left to that sender."""
    if not notifications:
        return
    now = timezone.now()
    sql = _MARK_SENT_SQL.format(table=_TABLE, tokens=", ".join(["(%s, %s)"] * len(notifications)))
    tokens = [value for row in notifications for value in (row.pk, row.attempts)]
    with transaction.atomic():
        params = [Status.SENT.value, _db_datetime(now), Status.SENDING.value, *tokens]
        mine = {pk for (pk,) in _returning(sql, params)}
        done = [row for row in notifications if row.pk in mine]
        AlertEvent.objects.bulk_create(
            event for row in done for event in _notified_events(row, now)
        )
    for row in done:
        logger.info("notification %s sent (attempt %d)", row.pk, row.attempts)


def _record_failure(notification: Notification, error: DeliveryError) -> Outcome:
    now = timezone.now()
    final = error.permanent or (
        notification.attempts >= settings.IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS
    )
    last_error = error.message[:1000]
    if final:
        # A failed row keeps no secret: a new invitation makes a new link.
        _mine(notification).update(
            status=Status.FAILED,
            failed_at=now,
            lease_expires_at=None,
            last_error=last_error,
            secret="",
        )
        # The queue's banner says so at its next refresh (reporting.selectors.queue_cache).
        changed_at_commit(NOTIFICATIONS)
        logger.error(
            "notification %s failed after %d attempts (%s)",
            notification.pk,
            notification.attempts,
            "permanent" if error.permanent else "too many temporary errors",
        )
        return Outcome.FAILED
    _mine(notification).update(
        status=Status.PENDING, available_at=now, lease_expires_at=None, last_error=last_error
    )
    logger.warning(
        "notification %s: temporary failure on attempt %d, will retry",
        notification.pk,
        notification.attempts,
    )
    return Outcome.RETRY


def _hand_back(notifications: Sequence[Notification]) -> None:
    """Claimed but not tried (the batch ran out of time): pending again, and the attempt the
    claim counted is given back, since none was made."""
    now = timezone.now()
    for notification in notifications:
        _mine(notification).update(
            status=Status.PENDING,
            available_at=now,
            lease_expires_at=None,
            attempts=F("attempts") - 1,
        )
    logger.warning("%d notifications of a batch handed back for a retry", len(notifications))


class _BatchSender:
    """Sends claimed rows one after the other, one channel session per kind, and records
    each result: sent ones together (at least every RECORD_SENT_EVERY_SECONDS), failures
    one by one. Every row ends sent, failed, or pending again (RETRY)."""

    def __init__(self, sessions: ExitStack) -> None:
        self._sessions = sessions
        self._channels: dict[str, ChannelBase] = {}
        self._unrecorded: list[Notification] = []
        self._recorded_at = time.monotonic()
        self.outcomes: dict[int, Outcome] = {}

    def send_all(self, claimed: Sequence[Notification]) -> None:
        deadline = time.monotonic() + BATCH_SEND_SECONDS
        try:
            for index, notification in enumerate(claimed):
                # The first row is always tried, so that every run makes progress.
                if index and time.monotonic() > deadline:
                    _hand_back(claimed[index:])
                    self.outcomes.update((row.pk, Outcome.RETRY) for row in claimed[index:])
                    break
                self._send(notification)
        finally:
            # Even when interrupted: what went out must not stay "sending" and go out again.
            self._record_sent()

    def _send(self, notification: Notification) -> None:
        error = self._attempt(notification)
        if error is None:
            self.outcomes[notification.pk] = Outcome.SENT
            self._unrecorded.append(notification)
        else:
            self.outcomes[notification.pk] = _record_failure(notification, error)
        if time.monotonic() - self._recorded_at > RECORD_SENT_EVERY_SECONDS:
            self._record_sent()

    def _attempt(self, notification: Notification) -> DeliveryError | None:
        try:
            message = render_message(notification)
            channel = self._channel(notification.channel)
            channel.send(address=notification.address, message=message)
        except DeliveryError as error:
            return error
        except Exception as error:
            # A bug or a time limit must not leave the row stuck: count it as a temporary
            # failure, so it is retried and, if it keeps happening, ends failed and visible.
            logger.exception("notification %s: unexpected error while sending", notification.pk)
            return DeliveryError(type(error).__name__)
        return None

    def _channel(self, kind: str) -> ChannelBase:
        if kind not in self._channels:
            self._channels[kind] = self._sessions.enter_context(channel_for(kind))
        return self._channels[kind]

    def _record_sent(self) -> None:
        unrecorded, self._unrecorded = self._unrecorded, []
        _record_sent(unrecorded)
        self._recorded_at = time.monotonic()


def notifications_deliver(*, notification_ids: Sequence[int]) -> dict[int, Outcome]:
    """Send each notification of a batch unless it was already sent, failed, or is being sent
    by someone else. Returns each id's outcome.

    Raises NotificationRetryLater, once every result is recorded, if some failed temporarily
    (they are pending again): delivering the same ids again resends only those."""
    claimed = _claim(notification_ids, timezone.now())
    outcomes = dict.fromkeys(notification_ids, Outcome.SKIPPED)
    for pk in outcomes.keys() - {row.pk for row in claimed}:
        logger.info("notification %s: nothing to do (done, gone or in flight)", pk)
    with ExitStack() as sessions:
        sender = _BatchSender(sessions)
        sender.send_all(claimed)
    outcomes.update(sender.outcomes)
    retry = [pk for pk, outcome in outcomes.items() if outcome == Outcome.RETRY]
    if retry:
        raise NotificationRetryLater(retry)
    return outcomes


def notification_deliver(*, notification_id: int) -> Outcome:
    """Send one notification unless it was already sent, failed, or is being sent.

    Raises NotificationRetryLater on a temporary failure (the row is pending again)."""
    return notifications_deliver(notification_ids=[notification_id])[notification_id]
