"""Reads about lab results, scoped to the nurse like every selector: a nurse of another care
team gets nothing (404), and families get nothing at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reporting.models import BaselineChoice, LabPanel, LabResult, Patient, ReferenceRange, Report
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
        .select_related("entered_by", "alert")
        .order_by("-collected_at", "-id")[:limit]
    )


def lab_results_for_nurse(user: Any) -> QuerySet[LabResult]:
    """Results of the patients of the nurse's care teams (nothing for anyone else)."""
    return LabResult.objects.filter(patient__in=patients_in_care_of(user).values("pk"))


def get_lab_result_for_nurse(user: Any, result_id: int) -> LabResult:
    return get_object_or_404(lab_results_for_nurse(user).select_related("patient"), pk=result_id)


def baseline_candidates(patient: Patient) -> QuerySet[LabResult]:
    """Results a nurse may choose as a baseline: those of tests that take one."""
    tests = [code for code, test in LAB_CATALOGUE.items() if test.baseline_allowed]
    return patient.lab_results.filter(test__in=tests).order_by("test", "-collected_at", "-id")


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


def _treatment_start(patient: Patient) -> dt.datetime | None:
    start = patient.treatment_start_date
    if start is None:
        return None
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def baseline_result_for(patient: Patient, test: str, before: dt.datetime) -> LabResult | None:
    """The result a panel collected at `before` is compared with for `test`: the one a nurse
    chose, else the last result collected before the treatment start date (none without a
    start date). Only results collected before the panel count."""
    if not LAB_CATALOGUE[test].baseline_allowed:
        return None
    choice = (
        BaselineChoice.objects.filter(patient=patient, test=test).select_related("result").first()
    )
    if choice is not None and choice.result.collected_at < before:
        return choice.result
    start_at = _treatment_start(patient)
    if start_at is None:
        return None
    return (
        LabResult.objects.filter(patient=patient, test=test, collected_at__lt=min(start_at, before))
        .order_by("-collected_at", "-id")
        .first()
    )


@dataclass(frozen=True, slots=True)
class BaselineRow:
    """One test's baseline on the patient's page: the one in use, how it was picked, and
    the results a nurse may pick instead."""

    test: str
    current: LabResult | None
    choice: BaselineChoice | None  # None: the default (last before the treatment start)
    candidates: list[LabResult]


def baseline_rows(patient: Patient, now: dt.datetime) -> list[BaselineRow]:
    """For every test with a baseline that the patient has results of; two queries."""
    results = list(baseline_candidates(patient))
    choices: dict[str, BaselineChoice] = {}
    for choice in BaselineChoice.objects.filter(patient=patient).select_related(
        "result", "chosen_by"
    ):
        choices.setdefault(choice.test, choice)  # newest first: the first one counts
    start_at = _treatment_start(patient)
    rows = []
    for test in dict.fromkeys(result.test for result in results):
        of_test = [result for result in results if result.test == test]
        chosen = choices.get(test)
        current: LabResult | None
        if chosen is not None:
            current = chosen.result
        else:
            before = [r for r in of_test if start_at is not None and r.collected_at < start_at]
            current = before[0] if before else None
        rows.append(BaselineRow(test, current, chosen, of_test[:12]))
    return rows
