"""Reads about lab results, scoped to the nurse like every selector: a nurse of another care
team gets nothing (404), and families get nothing at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from reporting.models import LabPanel, LabResult, Patient, ReferenceRange, Report
from reporting.selectors.people import patients_in_care_of
from reporting.triage import LAB_CATALOGUE

RECENT_PANELS = 20
LIVER_SYMPTOMS_WINDOW = dt.timedelta(days=7)


def panels_of(patient: Patient, limit: int = RECENT_PANELS) -> list[LabPanel]:
    """The patient's latest panels, newest first, with their results in order."""
    return list(
        patient.lab_panels.prefetch_related(
            Prefetch("results", queryset=LabResult.objects.order_by("position"))
        )
        .select_related("entered_by")
        .order_by("-collected_at", "-id")[:limit]
    )


def lab_results_for_nurse(user: Any) -> QuerySet[LabResult]:
    """Results of the patients of the nurse's care teams (nothing for anyone else)."""
    return LabResult.objects.filter(patient__in=patients_in_care_of(user).values("pk"))


def get_lab_result_for_nurse(user: Any, result_id: int) -> LabResult:
    return get_object_or_404(
        lab_results_for_nurse(user).select_related("patient"), pk=result_id
    )


def baseline_candidates(patient: Patient) -> QuerySet[LabResult]:
    """Results a nurse may choose as a baseline: those of tests that take one."""
    tests = [code for code, test in LAB_CATALOGUE.items() if test.baseline_allowed]
    return patient.lab_results.filter(test__in=tests).order_by("test", "-collected_at")


def reference_ranges() -> dict[tuple[str, str], ReferenceRange]:
    """This hospital's reference limits, by (test, unit)."""
    return {(r.test, r.unit): r for r in ReferenceRange.objects.all()}


def liver_reports_near(panel: LabPanel) -> QuerySet[Report]:
    """The patient's reports of liver signs within 7 days of a panel (shown on a hepatic lab
    alert: the family's yellow eyes and the ALT belong together)."""
    return (
        Report.objects.filter(
            patient_id=panel.patient_id,
            symptoms__code="liver",
            submitted_at__gte=panel.collected_at - LIVER_SYMPTOMS_WINDOW,
            submitted_at__lte=panel.collected_at + LIVER_SYMPTOMS_WINDOW,
        )
        .distinct()
        .prefetch_related("symptoms")
        .order_by("-submitted_at")
    )
