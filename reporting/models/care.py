"""What happens between the reports: following up active symptoms, and treatment cycles.

A `FollowUp` asks the family each morning how the patient is, while a symptom at monitor or
above is active (services.follow_up). An `Infusion` is a dose given; the patient's planned
next one (`Patient.next_infusion_on`) is when a decision (hold the next dose?) is due.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.models.alerts import Alert
from reporting.models.people import CaregiverLink, Patient


class FollowUp(models.Model):
    class Stop(models.TextChoices):
        BETTER = "better", _("Every followed symptom is better")
        RESOLVED = "resolved", _("The nurse resolved the alert")
        EXPIRED = "expired", _("Seven days passed")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="follow_ups")
    # Whom to ask: the family member who reported, or (none) everyone linked to the patient.
    link = models.ForeignKey(
        CaregiverLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    # {symptom code: [grade or None, level rank]}: what a later report must be below.
    symptoms = models.JSONField(default=dict)
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    last_asked_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=10, choices=Stop.choices, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(stopped_at__isnull=True),
                name="one_active_follow_up_per_patient",
            ),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"Follow-up #{self.pk}"


class Infusion(models.Model):
    """A dose of the treatment, as the nurse records it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="infusions")
    given_on = models.DateField(_("given on"))
    drugs = models.JSONField(_("drugs given"), default=list)
    cycle_number = models.PositiveSmallIntegerField(_("cycle"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "cycle_number"], name="unique_cycle"),
        ]
        verbose_name = _("infusion")
        verbose_name_plural = _("infusions")

    def __str__(self) -> str:
        return f"cycle {self.cycle_number} for patient #{self.patient_id}"
