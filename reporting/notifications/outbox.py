"""Writing the outbox, and handing its rows to the workers only after commit.

`notifications_for_new_alert`, `notifications_for_escalation`, `digests_send`,
`notifications_for_reminder` and `notifications_for_invitation` write `Notification` rows in
the caller's transaction and hand their ids to Celery only after commit
(`enqueue_on_commit`), so a worker never looks for a row that is not there yet and a
rolled-back report tells nobody. Ids travel in batches: one task per channel (webhooks: per
receiver) of at most IMMUNOWATCH_NOTIFICATION_BATCH_SIZE ids. `notifications_sweep` hands out
again what the broker may have lost.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reporting.models import (
    Alert,
    CaregiverLink,
    CareTeam,
    Digest,
    Invitation,
    Level,
    Notification,
    User,
)
from reporting.notifications.recipients import (
    Recipient,
    digest_recipients,
    escalation_recipients,
    family_recipient,
    new_alert_recipients,
)

logger = logging.getLogger(__name__)

DELIVER_TASK = "reporting.tasks.notifications.deliver_notification"
DELIVER_BATCH_TASK = "reporting.tasks.notifications.deliver_notifications"
# Checked by full_clean elsewhere: these come from rows loaded in the same transaction, and the
# idempotency key's uniqueness is the database's (a duplicate must fail loudly, not be skipped).
_TRUSTED_FIELDS = ("care_team", "alert", "digest", "caregiver_link", "invitation", "recipient")

Purpose = Notification.Purpose
Channel = Notification.Channel
Status = Notification.Status


def _idempotency_key(subject: str, purpose: str, recipient: Recipient) -> str:
    # (subject, purpose, recipient, channel): the same thing is never sent twice.
    return f"{subject}:{purpose}:{recipient.key}:{recipient.channel}"


def _write(**fields: Any) -> list[Notification]:
    """`_rows(**fields)` written: one pending row per recipient, enqueued after the caller's
    commit."""
    created = Notification.objects.bulk_create(_rows(**fields))
    enqueue_on_commit(created)
    return created


def _rows(
    *,
    care_team: CareTeam | None,
    purpose: str,
    subject: str,
    recipients: Iterable[Recipient],
    secret: str = "",
    **about: Any,
) -> list[Notification]:
    """One row per recipient, about `about` (alert=, digest=, caregiver_link=, invitation=,
    escalation_number=), validated, not saved."""
    now = timezone.now()
    rows = []
    for recipient in recipients:
        row = Notification(
            care_team=care_team,
            purpose=purpose,
            recipient_id=recipient.user_id,
            channel=recipient.channel,
            address=recipient.address,
            language=recipient.language,
            idempotency_key=_idempotency_key(subject, purpose, recipient),
            secret=secret,
            created_at=now,
            available_at=now,
            **about,
        )
        # Not the subject's check constraint (notification_subject): the database's. Django's
        # own check of it builds a query for every row; a row about the wrong thing fails its
        # INSERT instead, and the caller's transaction with it.
        row.full_clean(exclude=_TRUSTED_FIELDS, validate_unique=False, validate_constraints=False)
        rows.append(row)
    return rows


# In the subject of a new alert's notifications: its id, which the database gives when it
# writes the alert and them together (reporting.services.rows, `Linked.naming`).
NEW_ALERT_ID = "{id}"


def notifications_for_new_alert(*, alert: Alert) -> list[Notification]:
    """Urgent and emergency: every on-duty nurse (or, with nobody on duty, the escalation
    contact) and the team webhook, at once. Monitor alerts wait for the digest; routine
    reports raise no alert at all.

    For an alert not saved yet: the rows, validated, not saved; the caller writes them with
    the alert (their idempotency key names it as NEW_ALERT_ID) and hands them to
    `enqueue_on_commit`."""
    if Level(alert.level).rank < Level.URGENT.rank:
        return []
    return _rows(
        care_team=alert.care_team,
        purpose=Purpose.ALERT,
        subject=f"alert-{NEW_ALERT_ID}",
        recipients=new_alert_recipients(alert.care_team),
        alert=alert,
    )


def notifications_for_raised_alert(*, alert: Alert, number: int) -> list[Notification]:
    """A report or panel raised the open alert to urgent or emergency: told again as for a
    new alert at that level; to the nurse who claimed it when one did, else as a new alert
    (the on-duty nurses, or the escalation contact with nobody on duty)."""
    if Level(alert.level).rank < Level.URGENT.rank:
        return []
    claimant = alert.claimed_by
    if claimant is not None:
        membership = claimant.memberships.filter(care_team=alert.care_team).first()
        recipients = (
            [Recipient.person(Channel.EMAIL, claimant.email, claimant)] if claimant.email else []
        )
        if membership is not None and membership.phone.strip():
            recipients.append(Recipient.person(Channel.SMS, membership.phone.strip(), claimant))
        recipients += [r for r in new_alert_recipients(alert.care_team) if r.user_id is None]
    else:
        recipients = new_alert_recipients(alert.care_team)
    with transaction.atomic():
        rows = _write(
            care_team=alert.care_team,
            purpose=Purpose.ALERT,
            subject=f"alert-{alert.pk}-raised-{number}",
            recipients=recipients,
            alert=alert,
        )
    logger.info("alert %s: raised (%d), %d notifications written", alert.pk, number, len(rows))
    return rows


def notifications_for_escalation(*, alert: Alert, number: int) -> list[Notification]:
    with transaction.atomic():
        rows = _write(
            care_team=alert.care_team,
            purpose=Purpose.ESCALATION,
            subject=f"alert-{alert.pk}-escalation-{number}",
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
            _write(
                care_team=team,
                purpose=Purpose.DIGEST,
                subject=f"digest-{digest.pk}",
                recipients=recipients,
                digest=digest,
            )
        logger.info("digest %s: %d monitor alerts of team %s", digest.pk, len(alert_ids), team_id)
        written += 1
    return written


def notifications_for_reminder(*, link: CaregiverLink, when: dt.datetime) -> list[Notification]:
    """A check-in reminder to the person of `link` (e-mail, or SMS without one): no health
    detail, only that it is time to report and where. `when` names this reminder, so a
    retry of the same beat run never writes it twice."""
    recipient = family_recipient(link)
    if recipient is None:
        logger.warning("caregiver link %s: no e-mail or phone to remind", link.pk)
        return []
    return _write(
        care_team=link.patient.care_team,
        purpose=Purpose.REMINDER,
        subject=f"reminder-{link.pk}-{when:%Y%m%dT%H%M%S}",
        recipients=[recipient],
        caregiver_link=link,
    )


def notifications_for_follow_up(
    *, link: CaregiverLink, subject: str, purpose: str = Purpose.FOLLOW_UP
) -> list[Notification]:
    """Ask the person of `link` how the patient is today (a follow-up of an active symptom),
    or to check in before the next treatment (`purpose` CHECK_IN): by their reminder channel,
    with the patient's given name and a link to the form, no health detail. `subject` names
    this one question (a day, a planned infusion): the same one is never written twice."""
    recipient = family_recipient(link)
    if recipient is None:
        logger.warning("caregiver link %s: no e-mail or phone to ask", link.pk)
        return []
    key = _idempotency_key(subject, purpose, recipient)
    if Notification.objects.filter(idempotency_key=key).exists():
        return []
    return _write(
        care_team=link.patient.care_team,
        purpose=purpose,
        subject=subject,
        recipients=[recipient],
        caregiver_link=link,
    )


def notifications_for_invitation(*, invitation: Invitation, link: str) -> list[Notification]:
    """The invitation e-mail, in the invitation's language. `link` holds the raw token: it is
    kept on the row only until the e-mail is sent (Notification.secret)."""
    recipient = Recipient(Channel.EMAIL, invitation.email, None, invitation.language)
    return _write(
        care_team=invitation.patient.care_team,
        purpose=Purpose.INVITATION,
        subject=f"invitation-{invitation.pk}",
        recipients=[recipient],
        secret=link,
        invitation=invitation,
    )


def _care_team_of(user: User) -> CareTeam | None:
    """The team whose nurses should hear that a message to `user` failed: their patient's,
    or their own (a nurse); none for an admin outside every team."""
    link = user.caregiver_links.select_related("patient__care_team").order_by("pk").first()
    if link is not None:
        return link.patient.care_team
    membership = user.memberships.select_related("care_team").order_by("pk").first()
    return membership.care_team if membership is not None else None


def notifications_for_password_reset(*, user: User, link: str) -> list[Notification]:
    """The password-reset e-mail, in the person's language. `link` holds the reset token: it
    is kept on the row only until the e-mail is sent (Notification.secret)."""
    recipient = Recipient.person(Channel.EMAIL, user.email, user)
    return _write(
        care_team=_care_team_of(user),
        purpose=Purpose.PASSWORD_RESET,
        subject=f"password-reset-{user.pk}-{timezone.now():%Y%m%dT%H%M%S.%f}",
        recipients=[recipient],
        secret=link,
    )


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
