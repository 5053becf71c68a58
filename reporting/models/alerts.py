"""Alerts raised by reports and lab panels at monitor level or above, and everything done
about them. The reports and panels of an alert point at it (`Report.alert`,
`LabPanel.alert`): the alert page lists them all."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.models.people import CareTeam, Patient
from reporting.models.reports import Level


class Alert(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    class Outcome(models.TextChoices):
        SELF_CARE = "self_care", _("Self-care advice given")
        CLINIC_VISIT = "clinic_visit", _("Clinic visit booked")
        EMERGENCY_DEPARTMENT = "emergency_department", _("Sent to the emergency department")
        TREATMENT_HELD = "treatment_held", _("Treatment held pending review")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        """What opened the alert: the engine's assessment of the report, or the product
        rule that a person reads every note a family writes (docs/clinical.md)."""

        REPORT = "report", _("Symptom report")
        FAMILY_NOTE = "family_note", _("Note from the family")
        LAB_PANEL = "lab_panel", _("Lab results")

    # Denormalised from the report so the nurse queue filters and sorts on one table.
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="alerts")
    care_team = models.ForeignKey(CareTeam, on_delete=models.PROTECT, related_name="alerts")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    level_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.REPORT
    )
    suspected_irae = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("first contact due"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome.choices, blank=True)
    last_escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_count = models.PositiveSmallIntegerField(default=0)
    # How many times a more severe report or panel raised it (names its notifications).
    raise_count = models.PositiveSmallIntegerField(default=0)
    # Something joined after the claiming nurse last opened it: the queue marks it for her.
    has_new_information = models.BooleanField(default=False)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["-level_rank", "created_at"]
        indexes = [
            models.Index(
                fields=["care_team", "status", "-level_rank", "created_at"], name="alert_queue"
            ),
            models.Index(fields=["status", "due_at"], name="alert_overdue"),
            # The nurse queue's default view (open alerts, most dangerous then oldest first):
            # an ordered scan that stops after one page, whatever the teams (bench/dashboard.py).
            models.Index(
                fields=["-level_rank", "created_at", "id"],
                name="alert_open_queue",
                condition=models.Q(status__in=["new", "acknowledged"]),
            ),
            # The queue's count of open alerts ("1,234 alerts", the pages): read from this
            # index alone, without visiting the alerts (bench/http.py).
            models.Index(
                fields=["care_team"],
                name="alert_open_team",
                condition=models.Q(status__in=["new", "acknowledged"]),
            ),
        ]
        constraints = [
            # One episode, one alert: a patient has at most one open alert; what comes while
            # it is open joins it (services.alerts).
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status__in=["new", "acknowledged"]),
                name="one_open_alert_per_patient",
            ),
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"Alert #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.level_rank = Level(self.level).rank
        super().save(*args, **kwargs)


class AlertEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        NOTIFIED = "notified", _("Notified")
        CLAIMED = "claimed", _("Claimed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CALL_NOTE = "call_note", _("Call note")
        OUTCOME = "outcome", _("Outcome recorded")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        NEW_REPORT = "new_report", _("New report")
        NEW_LAB_RESULTS = "new_lab_results", _("New lab results")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system did it."),
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")

    def __str__(self) -> str:
        return f"{self.kind} on alert #{self.alert_id}"


class Snooze(models.Model):
    """A nurse marks a symptom as expected for a patient (e.g. grade 1 hypertension on
    lenvatinib): while it lasts, that symptom alone at monitor level raises no new alert.
    Urgent and emergency are never snoozed."""

    MAX_DAYS = 30

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="snoozes")
    code = models.CharField(_("symptom"), max_length=40)
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patient", "code", "until"], name="snooze_active")]
        verbose_name = _("snoozed symptom")
        verbose_name_plural = _("snoozed symptoms")

    def __str__(self) -> str:
        return f"{self.code} snoozed for patient #{self.patient_id}"
