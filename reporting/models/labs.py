"""Laboratory results: panels entered by nurses or imported from the hospital laboratory,
graded by `reporting.triage.assess_labs` (ruleset 2026.2, docs/LABS-2026.2.md) against the
patient's own baseline.

Values and limits are kept as they were typed or exported (`value` "2.10", not 2.1): the
record shows what the laboratory said, and the engine reads the same text exactly. Each
graded result keeps the baseline it was compared with, and each panel its ruleset.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reporting.models.alerts import Alert
from reporting.models.people import Patient
from reporting.models.reports import Level
from reporting.triage import LAB_CATALOGUE


def lab_test_choices() -> list[tuple[str, str]]:
    """The tests of the catalogue, in its order (labels translated when shown)."""
    return [(code, test.label) for code, test in LAB_CATALOGUE.items()]


class ReferenceRange(models.Model):
    """This hospital's reference limits for a test in a unit: the lab form fills them in.

    Admins keep the table; a nurse can still change the limits of one panel (a sample sent to
    another laboratory).
    """

    test = models.CharField(_("test"), max_length=20, choices=lab_test_choices())
    unit = models.CharField(_("unit"), max_length=20)
    lln = models.DecimalField(
        _("lower limit (LLN)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    uln = models.DecimalField(
        _("upper limit (ULN)"), max_digits=12, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["test", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["test", "unit"], name="unique_reference_range"),
        ]
        verbose_name = _("reference range")
        verbose_name_plural = _("reference ranges")

    def __str__(self) -> str:
        return f"{self.test} ({self.unit})"

    def clean(self) -> None:
        test = LAB_CATALOGUE.get(self.test)
        if test is not None and self.unit not in test.unit_codes:
            raise ValidationError(
                {"unit": _("This test is not reported in %(unit)s.") % {"unit": self.unit}}
            )
        if self.lln is not None and self.uln is not None and self.lln >= self.uln:
            raise ValidationError({"lln": _("The lower limit must be below the upper limit.")})


class LabPanel(models.Model):
    """The results of one sample (one collection time), and their stored assessment."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered by a nurse")
        IMPORTED = "imported", _("Imported from the laboratory")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_panels")
    collected_at = models.DateTimeField(_("collected at"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The regimen as it was when the panel was assessed.
    regimen = models.JSONField(default=list, blank=True)
    # The stored assessment (as for reports: reasons are dicts with template and params).
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    suspected_irae = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    ruleset = models.CharField(max_length=20)
    # The alert this panel opened or joined (none below monitor).
    alert = models.ForeignKey(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="lab_panels"
    )

    class Meta:
        ordering = ["-collected_at", "-id"]
        indexes = [models.Index(fields=["patient", "-collected_at"], name="lab_panel_recent")]
        verbose_name = _("lab panel")
        verbose_name_plural = _("lab panels")

    def __str__(self) -> str:
        return f"Lab panel #{self.pk}"


class LabResult(models.Model):
    """One test of a panel, as given, with its grade and the baseline it was read against."""

    panel = models.ForeignKey(LabPanel, on_delete=models.CASCADE, related_name="results")
    # Denormalised from the panel: a result is identified by patient, test and collected_at
    # (importing the same laboratory file twice stores nothing new).
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_results")
    collected_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=0)
    test = models.CharField(_("test"), max_length=20, choices=lab_test_choices())
    value = models.CharField(_("value"), max_length=32)
    unit = models.CharField(_("unit"), max_length=20)
    lln = models.CharField(_("LLN"), max_length=32, blank=True)
    uln = models.CharField(_("ULN"), max_length=32, blank=True)
    # The baseline used, in this result's unit as given to the engine, and where it came from.
    baseline = models.CharField(_("baseline used"), max_length=32, blank=True)
    # The unit the result and its baseline were given to the engine in: the result's own,
    # or the test's canonical unit when the baseline was in another one.
    baseline_unit = models.CharField(max_length=20, blank=True)
    baseline_result = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    irae = models.CharField(max_length=40, blank=True)
    anti_vegf = models.BooleanField(default=False)
    # Read off the engine's result for the pages: r (x ULN) or b (x baseline), as text.
    ratio = models.CharField(max_length=32, blank=True)
    ratio_to = models.CharField(max_length=10, blank=True)  # "uln", "baseline" or ""

    class Meta:
        ordering = ["panel", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "test", "collected_at"], name="unique_lab_result"
            ),
        ]
        indexes = [models.Index(fields=["patient", "test", "collected_at"], name="lab_by_test")]
        verbose_name = _("lab result")
        verbose_name_plural = _("lab results")

    def __str__(self) -> str:
        return f"{self.test} {self.value} {self.unit}"


class BaselineChoice(models.Model):
    """A nurse picked another result as a patient's baseline for a test (the default is the
    last result collected before the treatment start date). The latest choice counts; the
    earlier ones stay, with who chose and when."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="baseline_choices")
    test = models.CharField(_("test"), max_length=20, choices=lab_test_choices())
    result = models.ForeignKey(LabResult, on_delete=models.CASCADE, related_name="+")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    # Who changed what, when (README, "Audit trail").
    history = HistoricalRecords()

    class Meta:
        ordering = ["-chosen_at", "-id"]
        verbose_name = _("baseline choice")
        verbose_name_plural = _("baseline choices")

    def __str__(self) -> str:
        return f"baseline {self.test} for patient #{self.patient_id}"
