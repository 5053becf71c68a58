"""A result is graded against the patient's own baseline: the last result of that test before
the treatment started, or the one a nurse chose; the baseline used is kept on the result."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from reporting.models import BaselineChoice, LabPanel, Patient, User
from reporting.services.labs import ResultInput, baseline_choose, lab_panel_record
from tests.factories import PatientFactory
from tests.reporting.labs.conftest import at

pytestmark = pytest.mark.django_db


def record(patient: Patient, days: int, *results: ResultInput, nurse: User) -> LabPanel:
    return lab_panel_record(
        patient=patient,
        collected_at=at(days),
        results=list(results),
        source=LabPanel.Source.ENTERED,
        entered_by=nurse,
    )


def alt(value: str) -> ResultInput:
    return ResultInput("alt", value, "U/L", uln="40")


def test_the_last_result_before_the_treatment_start_is_the_baseline(
    liver_patient: Patient, nurse: User
) -> None:
    record(liver_patient, -20, alt("50"), nurse=nurse)
    baseline = record(liver_patient, -3, alt("80"), nurse=nurse).results.get()
    later = record(liver_patient, 14, alt("150"), nurse=nurse).results.get()
    # 150 is 3.75 x ULN (grade 2 against the ULN) but 1.875 x his abnormal baseline of 80.
    assert (later.baseline, later.baseline_result) == ("80", baseline)
    assert (later.grade, later.level, later.ratio, later.ratio_to) == (
        1,
        "monitor",
        "1.88",
        "baseline",
    )


def test_without_a_treatment_start_date_there_is_no_baseline(nurse: User, care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team, treatment_start_date=None)
    record(patient, -3, alt("80"), nurse=nurse)
    later = record(patient, 14, alt("150"), nurse=nurse).results.get()
    assert (later.baseline, later.ratio_to, later.grade) == ("", "uln", 2)


def test_a_nurse_chooses_another_baseline_and_it_is_recorded(
    liver_patient: Patient, nurse: User
) -> None:
    record(liver_patient, -3, alt("80"), nurse=nurse)
    chosen = record(liver_patient, 7, alt("45"), nurse=nurse).results.get()
    choice = baseline_choose(nurse=nurse, result=chosen)
    assert (choice.chosen_by, choice.test, choice.result) == (nurse, "alt", chosen)
    later = record(liver_patient, 14, alt("150"), nurse=nurse).results.get()
    assert later.baseline_result == chosen
    # 150 / 45 = 3.33 x the chosen (abnormal) baseline: grade 2, not grade 1 as against 80.
    assert (later.grade, later.ratio_to, later.ratio) == (2, "baseline", "3.33")
    assert BaselineChoice.objects.count() == 1


def test_a_nurse_of_another_team_cannot_choose(
    liver_patient: Patient, nurse: User, outsider: User
) -> None:
    result = record(liver_patient, -3, alt("80"), nurse=nurse).results.get()
    with pytest.raises(PermissionDenied):
        baseline_choose(nurse=outsider, result=result)
    assert not BaselineChoice.objects.exists()


def test_a_baseline_in_another_unit_is_compared_exactly_in_the_canonical_unit(
    liver_patient: Patient, nurse: User
) -> None:
    """Baseline 2 mg/dL (34.2 umol/L, ULN 1.2 mg/dL = 20.52): a value of 51.3 umol/L is
    exactly 1.5 x the baseline: grade 1, not grade 2 (1.5 < b <= 3 would be grade 2)."""
    record(liver_patient, -3, ResultInput("bilirubin", "2", "mg/dL", uln="1.2"), nurse=nurse)
    later = record(
        liver_patient, 14, ResultInput("bilirubin", "51.3", "umol/L", uln="20.52"), nurse=nurse
    ).results.get()
    assert (later.value, later.unit) == ("51.3", "umol/L")  # kept as given
    assert (later.baseline, later.baseline_unit) == ("34.2", "umol/L")
    assert (later.ratio, later.ratio_to, later.grade) == ("1.5", "baseline", 1)


def test_the_same_panel_in_mg_dl_and_umol_l_gets_the_same_grades(
    liver_patient: Patient, nurse: User, care_team: Any
) -> None:
    other = PatientFactory.create(
        care_team=care_team,
        regimen=liver_patient.regimen,
        treatment_start_date=liver_patient.treatment_start_date,
    )
    a = record(liver_patient, 3, ResultInput("bilirubin", "2.1", "mg/dL", uln="1.4"), nurse=nurse)
    b = record(other, 3, ResultInput("bilirubin", "35.91", "umol/L", uln="23.94"), nurse=nurse)
    ra, rb = a.results.get(), b.results.get()
    # 2.1 / 1.4 is exactly 1.5: grade 1 (in binary floating point it would be above 1.5).
    assert (ra.grade, ra.level, ra.ratio) == (rb.grade, rb.level, rb.ratio) == (1, "monitor", "1.5")
