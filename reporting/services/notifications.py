"""The notification outbox: who is told what, and delivering it at least once, idempotently.

Writing: `notifications_for_new_alert`, `notifications_for_escalation` and `digests_send` write
`Notification` rows in the caller's transaction and hand their ids to Celery only after
commit (`enqueue_on_commit`), so a worker never looks for a row that is not there yet and a
rolled-back report tells nobody.

Delivering: `notification_deliver` claims the row with a compare-and-set (pending -> sending,
with a lease), sends it through its channel, then marks it sent. A row already sent (or being
sent under a live lease) is skipped, so a message the broker delivers twice is sent once. A
worker killed mid-send leaves the message unacknowledged (acks_late) and the row's lease
expiring: Redis redelivers it, or `notifications_sweep` re-enqueues it.

Recipients are the care team's on-duty nurses (e-mail, and SMS when their membership has a
phone) and the team's webhook, a team-level recipient. Messages say which level and which care
team, with a link, and nothing else: no symptom, grade, reason or patient name.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    SKIPPED = "skipped"


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
    enqueue_on_commit([row.pk for row in created])
    return created


def notifications_for_new_alert(*, alert: Alert) -> list[Notification]:
    """Urgent and emergency: every on-duty nurse and the team webhook, at once. Monitor alerts
    wait for the digest; routine reports raise no alert at all."""
    if Level(alert.level).rank < Level.URGENT.rank:
        return []
    with transaction.atomic():
        rows = _write(
            care_team=alert.care_team,
            purpose=Purpose.ALERT,
            recipients=on_duty_recipients(alert.care_team),
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


def publish_delivery(notification_id: int) -> None:
    """Put one delivery task on the broker. Only for committed rows: use enqueue_on_commit."""
    current_app.send_task(DELIVER_TASK, args=[notification_id], retry=False)


def _publish_committed(notification_ids: Sequence[int]) -> int:
    """Publish each id; stop at the first broker failure. Never raises: the rows are committed
    and pending, and the sweep publishes them later. Returns how many were published."""
    for published, notification_id in enumerate(notification_ids):
        try:
            publish_delivery(notification_id)
        except Exception as error:  # any broker trouble: the request must not fail or hang
            logger.warning(
                "notification %s: broker unavailable (%s); %d left pending for the sweep",
                notification_id,
                type(error).__name__,
                len(notification_ids) - published,
            )
            return published
    return len(notification_ids)


def enqueue_on_commit(notification_ids: Sequence[int]) -> None:
    """The safe way to hand notifications to the workers: after the transaction commits."""
    ids = list(notification_ids)
    if ids:
        transaction.on_commit(partial(_publish_committed, ids), robust=True)


def notifications_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Re-enqueue what the broker may have lost: rows pending longer than the sweep delay since
    they were last handed out, and rows whose sender's lease expired (a killed worker).
    Returns how many were enqueued."""
    now = now or timezone.now()
    handed_out_before = now - dt.timedelta(seconds=settings.IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                Q(status=Status.PENDING, available_at__lte=handed_out_before)
                | Q(status=Status.SENDING, lease_expires_at__lt=now)
            )
            .order_by("available_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        # Wait another sweep delay before handing the same rows out again.
        Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(available_at=now)
        enqueue_on_commit(ids)
    if ids:
        logger.info("outbox sweep: %d notifications re-enqueued", len(ids))
    return len(ids)


# --- delivering -----------------------------------------------------------------------------


def _claim(notification_id: int, now: dt.datetime) -> Notification | None:
    """Compare-and-set pending (or sending with an expired lease) -> sending. The attempt
    number that comes with the claim is this sender's token for writing the result."""
    lease = dt.timedelta(seconds=settings.IMMUNOWATCH_NOTIFICATION_LEASE_SECONDS)
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(Q(status=Status.PENDING) | Q(status=Status.SENDING, lease_expires_at__lt=now))
        .update(status=Status.SENDING, lease_expires_at=now + lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return Notification.objects.select_related("care_team", "alert", "digest", "recipient").get(
        pk=notification_id
    )


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


def _record_sent(notification: Notification) -> None:
    now = timezone.now()
    with transaction.atomic():
        if not _mine(notification).update(
            status=Status.SENT, sent_at=now, lease_expires_at=None, last_error=""
        ):
            return  # our lease expired and another sender took over: it records the result
        # "notified" events have no actor (the system did it); the note names who was told.
        note = _note_for(notification)
        if notification.alert_id is not None:
            alert_ids = [notification.alert_id]
        else:
            alert_ids = list(notification.digest.alerts.values_list("pk", flat=True))
        AlertEvent.objects.bulk_create(
            AlertEvent(alert_id=alert_id, kind=AlertEvent.Kind.NOTIFIED, note=note, created_at=now)
            for alert_id in alert_ids
        )
    logger.info("notification %s sent (attempt %d)", notification.pk, notification.attempts)


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
    raise NotificationRetryLater(notification.pk)


def notification_deliver(*, notification_id: int) -> Outcome:
    """Send one notification unless it was already sent, failed, or is being sent.

    Raises NotificationRetryLater on a temporary failure (the row is pending again)."""
    notification = _claim(notification_id, timezone.now())
    if notification is None:
        logger.info("notification %s: nothing to do (done, gone or in flight)", notification_id)
        return Outcome.SKIPPED
    try:
        message = render_message(notification)
        channel_for(notification.channel).send(address=notification.address, message=message)
    except DeliveryError as error:
        return _record_failure(notification, error)
    except Exception as error:
        # A bug or a time limit must not leave the row stuck: count it as a temporary failure,
        # so it is retried and, if it keeps happening, ends failed and visible.
        logger.exception("notification %s: unexpected error while sending", notification.pk)
        return _record_failure(notification, DeliveryError(type(error).__name__))
    _record_sent(notification)
    return Outcome.SENT


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
