"""The notification outbox: who is told what, and delivering it at least once, idempotently.

Writing: `notifications_for_new_alert`, `notifications_for_escalation` and `digests_send` write
`Notification` rows in the caller's transaction and hand their ids to Celery only after
commit (`enqueue_on_commit`), so a worker never looks for a row that is not there yet and a
rolled-back report tells nobody. Ids travel in batches: one task per channel (webhooks: per
receiver) of at most IMMUNOWATCH_NOTIFICATION_BATCH_SIZE ids.

Delivering: `notifications_deliver` claims a batch's rows with one compare-and-set (pending, or
sending with an expired lease -> sending, with a lease), sends each through its channel, then
marks the sent ones sent; `notification_deliver` is the same for one id. A row already sent
(or being sent under a live lease) is skipped, so a message the broker delivers twice is sent
once. A worker killed mid-send leaves the message unacknowledged (acks_late) and the rows'
leases expiring: Redis redelivers it, or `notifications_sweep` re-enqueues them.

Recipients are the care team's on-duty nurses (e-mail, and SMS when their membership has a
phone) and the team's webhook, a team-level recipient. Messages say which level and which care
team, with a link, and nothing else: no symptom, grade, reason or patient name.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.channels import Channel as ChannelBase
from reporting.channels import DeliveryError, OutgoingMessage, channel_for
from reporting.models import (
    Alert,
    AlertEvent,
    CareTeam,
    CareTeamMembership,
    Digest,
    Level,
    Notification,
)

logger = logging.getLogger(__name__)

DELIVER_TASK = "reporting.tasks.notifications.deliver_notification"
DELIVER_BATCH_TASK = "reporting.tasks.notifications.deliver_notifications"
# Checked by full_clean elsewhere: these come from rows loaded in the same transaction, and the
# idempotency key's uniqueness is the database's (a duplicate must fail loudly, not be skipped).
_TRUSTED_FIELDS = ("care_team", "alert", "digest", "recipient")

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


@dataclass(frozen=True, slots=True)
class Recipient:
    channel: str
    address: str
    user: Any = None  # None: a team-level recipient (the webhook)
    language: str = ""  # empty: settings.LANGUAGE_CODE when the message is rendered

    @property
    def key(self) -> str:
        return f"user-{self.user.pk}" if self.user is not None else "team"


# --- links ----------------------------------------------------------------------------------


def alert_link(alert_id: int) -> str:
    """Absolute link to the alert on the nurse dashboard: an id, never a detail."""
    try:
        path = reverse("alert_detail", args=[alert_id])
    except NoReverseMatch:  # the dashboard is not installed yet
        path = f"/triage/alerts/{alert_id}/"
    return settings.SITE_URL + path


def queue_link() -> str:
    try:
        path = reverse("triage_queue")
    except NoReverseMatch:
        path = "/triage/"
    return settings.SITE_URL + path


# --- recipients -----------------------------------------------------------------------------


def _language_of(user: Any) -> str:
    # Users have no language of their own yet; use it as soon as they do.
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _nurse_recipients(membership: CareTeamMembership, *, sms: bool = True) -> list[Recipient]:
    nurse = membership.nurse
    language = _language_of(nurse)
    found = []
    if nurse.email:
        found.append(Recipient(Channel.EMAIL, nurse.email, nurse, language))
    if sms and membership.phone.strip():
        found.append(Recipient(Channel.SMS, membership.phone.strip(), nurse, language))
    return found


def _on_duty(care_team: CareTeam) -> list[CareTeamMembership]:
    return list(
        CareTeamMembership.objects.filter(care_team=care_team, on_duty=True, nurse__is_active=True)
        .select_related("nurse")
        .order_by("nurse_id")
    )


def _webhook(care_team: CareTeam) -> list[Recipient]:
    if not care_team.webhook_url:
        return []
    return [Recipient(Channel.WEBHOOK, care_team.webhook_url)]


def on_duty_recipients(care_team: CareTeam) -> list[Recipient]:
    """Every on-duty nurse's channels, then the team's webhook."""
    found = [r for membership in _on_duty(care_team) for r in _nurse_recipients(membership)]
    if not found:
        logger.warning("care team %s has no on-duty nurse to notify", care_team.pk)
    return found + _webhook(care_team)


def new_alert_recipients(care_team: CareTeam) -> list[Recipient]:
    """The on-duty nurses and the webhook; with no nurse on duty to reach, the escalation
    contact at once: an urgent alert must not wait for its first escalation to reach a person."""
    found = on_duty_recipients(care_team)
    if any(recipient.user is not None for recipient in found):
        return found
    logger.warning("care team %s: nobody on duty, telling the escalation contact", care_team.pk)
    return escalation_recipients(care_team)


def escalation_recipients(care_team: CareTeam) -> list[Recipient]:
    """The escalation contact's e-mail (and SMS, if they have a phone in this team) and the
    team's webhook. With no contact set, the on-duty nurses again: better than nobody."""
    contact = care_team.escalation_contact
    if contact is None or not contact.is_active:
        logger.warning("care team %s: no escalation contact, telling on-duty nurses", care_team.pk)
        return on_duty_recipients(care_team)
    membership = (
        CareTeamMembership.objects.filter(care_team=care_team, nurse=contact)
        .select_related("nurse")
        .first()
    )
    if membership is not None:
        found = _nurse_recipients(membership)
    elif contact.email:
        # A contact outside the team (e.g. the duty oncologist): e-mail only.
        found = [Recipient(Channel.EMAIL, contact.email, contact, _language_of(contact))]
    else:
        found = []
    if not found:
        logger.warning("care team %s: escalation contact has no e-mail or phone", care_team.pk)
    return found + _webhook(care_team)


def digest_recipients(care_team: CareTeam) -> list[Recipient]:
    """One message per on-duty nurse: e-mail, or SMS for a nurse without an e-mail address."""
    found = []
    for membership in _on_duty(care_team):
        channels = _nurse_recipients(membership)
        if channels:
            found.append(channels[0])
    return found


# --- writing the outbox ---------------------------------------------------------------------


def _idempotency_key(subject: str, purpose: str, recipient: Recipient) -> str:
    # (alert or digest, purpose, recipient, channel): the same thing is never sent twice.
    return f"{subject}:{purpose}:{recipient.key}:{recipient.channel}"


def _write(
    *,
    care_team: CareTeam,
    purpose: str,
    recipients: Iterable[Recipient],
    alert: Alert | None = None,
    digest: Digest | None = None,
    escalation_number: int = 0,
) -> list[Notification]:
    now = timezone.now()
    if alert is not None:
        subject = f"alert-{alert.pk}"
        if escalation_number:
            subject += f"-escalation-{escalation_number}"
    else:
        assert digest is not None
        subject = f"digest-{digest.pk}"
    rows = []
    for recipient in recipients:
        row = Notification(
            care_team=care_team,
            alert=alert,
            digest=digest,
            purpose=purpose,
            escalation_number=escalation_number,
            recipient=recipient.user,
            channel=recipient.channel,
            address=recipient.address,
            language=recipient.language,
            idempotency_key=_idempotency_key(subject, purpose, recipient),
            created_at=now,
            available_at=now,
        )
        row.full_clean(exclude=_TRUSTED_FIELDS, validate_unique=False)
        rows.append(row)
    created = Notification.objects.bulk_create(rows)
    enqueue_on_commit(created)
    return created


def notifications_for_new_alert(*, alert: Alert) -> list[Notification]:
    """Urgent and emergency: every on-duty nurse (or, with nobody on duty, the escalation
    contact) and the team webhook, at once. Monitor alerts
    wait for the digest; routine reports raise no alert at all."""
    if Level(alert.level).rank < Level.URGENT.rank:
        return []
    with transaction.atomic():
        rows = _write(
            care_team=alert.care_team,
            purpose=Purpose.ALERT,
            recipients=new_alert_recipients(alert.care_team),
            alert=alert,
        )
    logger.info("alert %s: %d notifications written", alert.pk, len(rows))
    return rows


def notifications_for_escalation(*, alert: Alert, number: int) -> list[Notification]:
    with transaction.atomic():
        rows = _write(
            care_team=alert.care_team,
            purpose=Purpose.ESCALATION,
            recipients=escalation_recipients(alert.care_team),
            alert=alert,
            escalation_number=number,
        )
    logger.info("alert %s: escalation %d, %d notifications written", alert.pk, number, len(rows))
    return rows


def _undigested_monitor_alerts(care_team_id: int) -> Any:
    return Alert.objects.filter(
        care_team_id=care_team_id,
        level=Level.MONITOR,
        status=Alert.Status.NEW,
        digests__isnull=True,
    )


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Batch each team's new monitor alerts not yet in a digest into one digest, told to each
    on-duty nurse. A team with nobody on duty keeps its alerts for the next run (and they
    escalate when their target passes). Returns how many digests were written."""
    now = now or timezone.now()
    team_ids = set(
        Alert.objects.filter(level=Level.MONITOR, status=Alert.Status.NEW, digests__isnull=True)
        .values_list("care_team_id", flat=True)
        .distinct()
    )
    written = 0
    for team_id in sorted(team_ids):
        with transaction.atomic():
            # The team row lock makes two runs at once write one digest, not two.
            team = CareTeam.objects.select_for_update().get(pk=team_id)
            alert_ids = list(_undigested_monitor_alerts(team_id).values_list("pk", flat=True))
            recipients = digest_recipients(team)
            if not alert_ids or not recipients:
                continue
            digest = Digest(care_team=team, created_at=now)
            digest.full_clean()
            digest.save()
            digest.alerts.add(*alert_ids)
            _write(care_team=team, purpose=Purpose.DIGEST, recipients=recipients, digest=digest)
        logger.info("digest %s: %d monitor alerts of team %s", digest.pk, len(alert_ids), team_id)
        written += 1
    return written


# --- enqueueing -----------------------------------------------------------------------------


def _batch_key(notification: Notification) -> tuple[str, str]:
    # E-mails share batches (so one connection to the mail server serves many), SMS too; a
    # webhook batch holds one receiver's messages only, so a slow pager delays nobody else's.
    address = notification.address if notification.channel == Channel.WEBHOOK else ""
    return (notification.channel, address)


def delivery_batches(notifications: Iterable[Notification]) -> list[list[int]]:
    """Ids grouped by channel (webhooks: by receiver), in order, in chunks of at most
    IMMUNOWATCH_NOTIFICATION_BATCH_SIZE: one delivery task each."""
    groups: dict[tuple[str, str], list[int]] = {}
    for notification in notifications:
        groups.setdefault(_batch_key(notification), []).append(notification.pk)
    size = settings.IMMUNOWATCH_NOTIFICATION_BATCH_SIZE
    return [ids[i : i + size] for ids in groups.values() for i in range(0, len(ids), size)]


def publish_delivery(notification_id: int) -> None:
    """Put one single-id delivery task on the broker. Only for committed rows."""
    current_app.send_task(DELIVER_TASK, args=[notification_id], retry=False)


def publish_deliveries(notification_ids: Sequence[int]) -> None:
    """Put one batch delivery task on the broker. Only for committed rows: use
    enqueue_on_commit. The message carries ids only, never anything about the patient."""
    current_app.send_task(DELIVER_BATCH_TASK, args=[list(notification_ids)], retry=False)


def _publish_committed(batches: Sequence[Sequence[int]]) -> int:
    """Publish each batch; stop at the first broker failure. Never raises: the rows are
    committed and pending, and the sweep publishes them later. Returns how many ids were
    published."""
    published = 0
    for index, ids in enumerate(batches):
        try:
            publish_deliveries(ids)
        except Exception as error:  # any broker trouble: the request must not fail or hang
            logger.warning(
                "notification %s: broker unavailable (%s); %d left pending for the sweep",
                ids[0],
                type(error).__name__,
                sum(len(left) for left in batches[index:]),
            )
            return published
        published += len(ids)
    return published


def enqueue_on_commit(notifications: Iterable[Notification]) -> None:
    """The safe way to hand notifications to the workers: after the transaction commits, in
    batches (`delivery_batches`), so that a report's e-mails travel in one task and a sweep of
    a thousand rows in a few dozen."""
    batches = delivery_batches(notifications)
    if batches:
        transaction.on_commit(partial(_publish_committed, batches), robust=True)


def notifications_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Re-enqueue what the broker may have lost: rows pending longer than the sweep delay since
    they were last handed out, and rows whose sender's lease expired (a killed worker).
    Returns how many were enqueued."""
    now = now or timezone.now()
    handed_out_before = now - dt.timedelta(seconds=settings.IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS)
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(
                Q(status=Status.PENDING, available_at__lte=handed_out_before)
                | Q(status=Status.SENDING, lease_expires_at__lt=now)
            )
            .order_by("available_at", "pk")
            .only("pk", "channel", "address")[:limit]
        )
        ids = [row.pk for row in rows]
        # Wait another sweep delay before handing the same rows out again.
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(available_at=now)
        enqueue_on_commit(rows)
    if ids:
        logger.info("outbox sweep: %d notifications re-enqueued", len(ids))
    return len(ids)


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
   SET status = %s, sent_at = %s, lease_expires_at = NULL, last_error = ''
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
        Notification.objects.select_related("care_team", "alert", "digest", "recipient")
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
    who = notification.recipient.get_username() if notification.recipient else _("team webhook")
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(purpose)s sent by %(channel)s to %(recipient)s") % {
            "purpose": Purpose(notification.purpose).label,
            "channel": Channel(notification.channel).label,
            "recipient": who,
        }


def _notified_events(notification: Notification, now: dt.datetime) -> list[AlertEvent]:
    # "notified" events have no actor (the system did it); the note names who was told.
    note = _note_for(notification)
    if notification.alert_id is not None:
        alert_ids = [notification.alert_id]
    else:
        alert_ids = list(notification.digest.alerts.values_list("pk", flat=True))
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
        _mine(notification).update(
            status=Status.FAILED, failed_at=now, lease_expires_at=None, last_error=last_error
        )
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


# --- messages -------------------------------------------------------------------------------


def _context(notification: Notification) -> dict[str, Any]:
    team = notification.care_team.name
    if notification.purpose == Purpose.DIGEST:
        count = notification.digest.alerts.count()
        return {"team": team, "count": count, "link": queue_link(), "level": None}
    alert = notification.alert
    level = str(Level(alert.level).label).upper()
    minutes = settings.IMMUNOWATCH_ALERT_TARGET_MINUTES[alert.level]
    return {
        "team": team,
        "level": level,
        "link": alert_link(alert.pk),
        "alert_id": alert.pk,
        "number": notification.escalation_number,
        "target_minutes": minutes,
    }


def _short_text(purpose: str, context: dict[str, Any]) -> str:
    if purpose == Purpose.ALERT:
        return _("New %(level)s alert for a patient of %(team)s. Open: %(link)s") % context
    if purpose == Purpose.ESCALATION:
        return (
            _(
                "Escalation %(number)s: %(level)s alert for a patient of %(team)s is not "
                "acknowledged. Open: %(link)s"
            )
            % context
        )
    return (
        ngettext(
            "%(count)s monitor alert for patients of %(team)s is waiting. Open: %(link)s",
            "%(count)s monitor alerts for patients of %(team)s are waiting. Open: %(link)s",
            context["count"],
        )
        % context
    )


def render_message(notification: Notification) -> OutgoingMessage:
    """The message in the recipient's language, from the templates in reporting/email/."""
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = _context(notification)
        name = str(notification.purpose)
        subject = render_to_string(f"reporting/email/{name}_subject.txt", context)
        body = render_to_string(f"reporting/email/{name}_body.txt", context)
        short_text = _short_text(notification.purpose, context)
    alert = notification.alert
    return OutgoingMessage(
        idempotency_key=notification.idempotency_key,
        event=name,
        subject=" ".join(subject.split()),
        body=body,
        short_text=short_text,
        link=context["link"],
        care_team=context["team"],
        level=alert.level if alert is not None else Level.MONITOR.value,
        alert_id=alert.pk if alert is not None else None,
        count=context.get("count"),
    )
