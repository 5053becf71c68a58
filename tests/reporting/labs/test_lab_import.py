"""`manage.py import_labs FILE.csv`: the laboratory's export, all or nothing, by line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting.models import Alert, LabPanel, LabResult, Patient
from reporting.services.lab_import import LabImportError, labs_import

pytestmark = pytest.mark.django_db

HEADER = "hospital_number,collected_at,test,value,unit,lln,uln\n"


def csv_of(patient: Patient, *rows: str) -> str:
    return HEADER + "".join(row.format(hn=patient.hospital_number) + "\n" for row in rows)


def good_file(patient: Patient) -> str:
    return csv_of(
        patient,
        "{hn},2026-11-20T08:30,alt,250,U/L,,40",
        "{hn},2026-11-20T08:30,bilirubin,45,umol/L,,21",
        "{hn},2026-11-20T08:30,platelets,180,10^9/L,150,",
        "{hn},2026-11-27,alt,35,U/L,,40",
    )


def run(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_labs", str(path), stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_good_file_makes_panels_results_and_alerts(
    liver_patient: Patient, tmp_path: Path
) -> None:
    path = tmp_path / "labs.csv"
    path.write_text(good_file(liver_patient))
    code, out, _err = run(path)
    assert code == 0
    assert "Imported 2 panels, 4 results, 1 alerts" in out
    first = LabPanel.objects.order_by("collected_at").first()
    assert first is not None and first.source == "imported" and first.entered_by is None
    # Hy's law: ALT >= 3 x ULN with bilirubin > 2 x ULN, ALP not above 2 x: emergency.
    assert first.level == "emergency"
    assert Alert.objects.get().source == "lab_panel"


def test_importing_the_same_file_again_stores_nothing_new(
    liver_patient: Patient, tmp_path: Path
) -> None:
    path = tmp_path / "labs.csv"
    path.write_text(good_file(liver_patient))
    run(path)
    code, out, _err = run(path)
    assert code == 0
    assert "Imported 0 panels, 0 results, 0 alerts (4 results were already there)" in out
    assert (LabPanel.objects.count(), LabResult.objects.count(), Alert.objects.count()) == (2, 4, 1)


def test_a_bad_line_names_itself_and_nothing_is_stored(
    liver_patient: Patient, tmp_path: Path
) -> None:
    path = tmp_path / "labs.csv"
    path.write_text(
        csv_of(
            liver_patient,
            "{hn},2026-11-20T08:30,alt,250,U/L,,40",
            "{hn},2026-11-20T08:30,bilirubin,lots,umol/L,,21",
            "{hn},yesterday,alt,30,U/L,,40",
            "{hn},2026-11-21,troponin,3,ng/L,,14",
        )
    )
    code, _out, err = run(path)
    assert code == 2
    assert "line 3: value:" in err  # "lots" (the header is line 1)
    assert "line 4: collected_at:" in err
    assert "line 5: test:" in err and "troponin" in err
    assert "nothing was imported" in err
    assert not LabPanel.objects.exists() and not Alert.objects.exists()


def test_an_unknown_patient_is_a_bad_line(liver_patient: Patient) -> None:
    text = HEADER + "NOBODY-1,2026-11-20,alt,30,U/L,,40\n"
    with pytest.raises(LabImportError) as refused:
        labs_import(text)
    (problem,) = refused.value.problems
    assert (problem.line, problem.field) == (2, "hospital_number")


def test_hospital_numbers_match_whatever_their_case(liver_patient: Patient) -> None:
    text = HEADER + f"{liver_patient.hospital_number.lower()},2026-11-20,alt,30,U/L,,40\n"
    assert labs_import(text).results == 1


@pytest.mark.parametrize(
    "header",
    [
        "hospital_number,collected_at,test,value,unit,lln,uln,comment\n",
        "hospital_number,collected_at,test,value,unit,uln\n",
    ],
)
def test_other_columns_are_refused(liver_patient: Patient, header: str) -> None:
    with pytest.raises(LabImportError) as refused:
        labs_import(header + f"{liver_patient.hospital_number},2026-11-20,alt,30,U/L,,40\n")
    assert refused.value.problems[0].line == 1


def test_new_tests_of_a_sample_already_imported_join_it_and_it_is_graded_again(
    liver_patient: Patient,
) -> None:
    labs_import(csv_of(liver_patient, "{hn},2026-11-20T08:30,alt,250,U/L,,40"))
    panel = LabPanel.objects.get()
    assert panel.level == "urgent"
    summary = labs_import(
        csv_of(
            liver_patient,
            "{hn},2026-11-20T08:30,alt,250,U/L,,40",
            "{hn},2026-11-20T08:30,bilirubin,45,umol/L,,21",
        )
    )
    assert (summary.panels, summary.results, summary.already_there) == (0, 1, 1)
    panel.refresh_from_db()
    assert panel.results.count() == 2
    assert panel.level == "emergency"  # Hy's law, now that the bilirubin is there
    assert panel.results.get(test="alt").level == "emergency"


def test_a_dipstick_and_an_empty_limit_for_a_test_without_limits(
    liver_patient: Patient,
) -> None:
    summary = labs_import(
        csv_of(
            liver_patient,
            "{hn},2026-11-20,urine_protein,2+,dipstick,,",
            "{hn},2026-11-20,inr,1.3,ratio,,",
        )
    )
    assert summary.results == 2
    assert LabResult.objects.get(test="urine_protein").grade == 2


def test_standard_input_and_a_missing_file(
    liver_patient: Patient, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(good_file(liver_patient)))
    out = io.StringIO()
    call_command("import_labs", "-", stdout=out)
    assert "Imported 2 panels" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_labs", str(tmp_path / "missing.csv"))
