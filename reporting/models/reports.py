"""Symptom reports and their stored assessment (one transaction, see services.reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models.people import Patient
from reporting.triage import Level as EngineLevel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _level_choices() -> list[tuple[str, tuple[str, StrOrPromise]]]:
    return [(level.name, (level.value, _(level.label))) for level in EngineLevel]


LEVEL_RANK: dict[str, int] = {level.value: level.rank for level in EngineLevel}

# The engine's levels (reporting.triage.Level) as model choices: one definition of the codes,
# their order and their labels. `rank` orders them (routine < monitor < urgent < emergency).
# django-stubs types the functional API with plain values only, not (value, label) pairs.
Level = models.TextChoices("Level", _level_choices())  # type: ignore[call-overload]
Level.rank = property(lambda self: LEVEL_RANK[self.value])


class Report(models.Model):
    class ReporterRole(models.TextChoices):
        PATIENT = "patient", _("The patient")
        FAMILY = "family", _("A family member")
        NURSE = "nurse", _("A nurse, on the phone")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reporter_role = models.CharField(_("reported by"), max_length=10, choices=ReporterRole.choices)
    # Snapshot of the relationship at the time (a CaregiverLink may change later).
    reporter_relationship = models.CharField(_("relationship"), max_length=20, blank=True)
    symptoms_began = models.DateField(_("when the symptoms began"), null=True, blank=True)
    note = models.TextField(_("note to the nurse"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The regimen as it was when the report was assessed.
    regimen = models.JSONField(default=list, blank=True)

    # The stored assessment.
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    suspected_irae = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    ruleset = models.CharField(max_length=20)
    previous_report = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The report whose grades the worsening rule compared against."),
    )
    # One per form shown: a double tap or a retry of the same form finds the first report
    # instead of storing a second one (services.reports.report_submit). Null for reports
    # that came from no form (imports, demo data).
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The alert this report opened (none for a report that opens none).
    alert = models.ForeignKey(
        "reporting.Alert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["patient", "-submitted_at"], name="report_patient_recent")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"Report #{self.pk}"

    def clean(self) -> None:
        """A start date the family can mean: not after the report, not before birth."""
        began = self.symptoms_began
        if began is None:
            return
        sent_on = timezone.localdate(self.submitted_at) if self.submitted_at else None
        if sent_on is not None and began > sent_on:
            raise ValidationError({"symptoms_began": _("This date is in the future.")})
        born = self.patient.date_of_birth if self.patient_id else None
        if born is not None and began < born:
            raise ValidationError(
                {"symptoms_began": _("This date is before the patient was born.")}
            )

    @property
    def is_check_in(self) -> bool:
        """ "I feel well today": a report with no symptoms."""
        return not self.symptoms.exists()


class SymptomEntry(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="symptoms")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    irae = models.CharField(max_length=40, blank=True)
    anti_vegf = models.BooleanField(default=False)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="unique_report_symptom"),
        ]
        verbose_name = _("reported symptom")
        verbose_name_plural = _("reported symptoms")

    def __str__(self) -> str:
        return f"{self.code} (report #{self.report_id})"
