"""Calls about missed check-ins: a nurse phones a patient who has gone quiet and records
what came of it, with who and when (README, "For nurses", "Missed check-ins")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.models.people import Patient


class CheckinCall(models.Model):
    """One phone call to a patient (or their family) who missed a check-in."""

    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("Called, no answer")
        # The family says the patient is well: it counts as a check-in for the missed list
        # (reporting.selectors.checkins), never as a report.
        ALL_WELL = "all_well", _("Called, all well")

    NOTE_MAX_LENGTH = 300

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkin_calls")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"), default=timezone.now)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["-called_at", "-id"]
        indexes = [models.Index(fields=["patient", "-called_at"], name="checkin_call_latest")]
        constraints = [
            # Whatever writes the row, an outcome the page cannot show is never stored.
            models.CheckConstraint(
                condition=models.Q(outcome__in=["no_answer", "all_well"]),
                name="checkin_call_outcome_known",
            ),
        ]
        verbose_name = _("check-in call")
        verbose_name_plural = _("check-in calls")

    def __str__(self) -> str:
        return f"check-in call #{self.pk} for patient #{self.patient_id}"
