"""The notification outbox: one row per message to send, written in the transaction of what
it tells about (an alert, a digest, a check-in reminder, an invitation).

A Celery task delivers each row by id (at least once); the row's status makes a second
delivery of the same message a no-op, and its idempotency key lets receivers dedupe too.
Every message the app sends goes through here, so each gets retries, an idempotency key and
a failure banner on the nurse dashboard.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.channels import channel_choices
from reporting.models.alerts import Alert
from reporting.models.people import CaregiverLink, CareTeam, Invitation

_SUBJECTS = ("alert", "digest", "caregiver_link", "invitation")


def _about(purpose: Q, subject: str | None = None) -> Q:
    """Rows of `purpose` have `subject` set and every other subject empty."""
    condition = purpose
    for field in _SUBJECTS:
        condition &= Q(**{f"{field}__isnull": field != subject})
    return condition


class Digest(models.Model):
    """A batch of monitor alerts of one care team, told to its on-duty nurses together."""

    care_team = models.ForeignKey(CareTeam, on_delete=models.CASCADE, related_name="digests")
    created_at = models.DateTimeField(default=timezone.now)
    alerts = models.ManyToManyField(Alert, related_name="digests", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self) -> str:
        return f"Digest #{self.pk}"


class Notification(models.Model):
    class Purpose(models.TextChoices):
        ALERT = "alert", _("New alert")
        ESCALATION = "escalation", _("Escalation")
        DIGEST = "digest", _("Digest")
        REMINDER = "reminder", _("Check-in reminder")
        INVITATION = "invitation", _("Invitation")
        PASSWORD_RESET = "password_reset", _("Password reset")
        FOLLOW_UP = "follow_up", _("Follow-up of a symptom")
        CHECK_IN = "check_in", _("Check-in before a treatment")

    # Built from the channel registry (reporting/channels/registry.py): one list, not two.
    # django-stubs types the functional API with plain values only, not (value, label) pairs.
    Channel = models.TextChoices(  # type: ignore[call-overload]
        "Channel", [(name, (kind, label)) for name, kind, label in channel_choices()]
    )

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Whose nurses see it in the failure banner; empty for a message to a person outside any
    # care team (an admin's password reset).
    care_team = models.ForeignKey(
        CareTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    caregiver_link = models.ForeignKey(
        CaregiverLink,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("Check-in reminders: whose patient is reminded about."),
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # Which escalation of the alert this tells about (1, 2, ...); 0 for the others.
    escalation_number = models.PositiveSmallIntegerField(default=0)
    # Null for a team-level recipient (the care team's webhook).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The e-mail address, phone number or URL as it was when the row was written.
    address = models.CharField(_("address"), max_length=500)
    # The recipient's language when known; empty: settings.LANGUAGE_CODE at sending time.
    language = models.CharField(max_length=10, blank=True)
    idempotency_key = models.CharField(max_length=150, unique=True)
    # What the message needs and the database must not keep: an invitation's raw link (only
    # its hash is stored anywhere else). Held while the row waits to be sent, cleared once it
    # is sent or has failed.
    secret = models.TextField(blank=True, editable=False)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The outbox sweep re-enqueues a pending row this long after it was last handed out.
    available_at = models.DateTimeField(default=timezone.now)
    # While status is "sending", the claim is valid until then (a killed worker's expires).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "available_at"], name="notification_outbox"),
            models.Index(fields=["care_team", "status", "-failed_at"], name="notification_team"),
        ]
        constraints = [
            # Each row tells about exactly one thing, the one its purpose names.
            models.CheckConstraint(
                condition=(
                    _about(Q(purpose__in=["alert", "escalation"]), "alert")
                    | _about(Q(purpose="digest"), "digest")
                    | _about(Q(purpose__in=["reminder", "follow_up", "check_in"]), "caregiver_link")
                    | _about(Q(purpose="invitation"), "invitation")
                    | (_about(Q(purpose="password_reset")) & Q(recipient__isnull=False))
                ),
                name="notification_subject",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"Notification #{self.pk}"
