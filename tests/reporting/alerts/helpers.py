"""Reports, alerts and a recording publisher for the alerts and notifications tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reporting.models import Patient, Report
from reporting.services.reports import store_symptom_entries, stored_reason
from reporting.triage import assess

URGENT = [{"code": "diarrhea", "stools_over_baseline": 4}]
EMERGENCY = [{"code": "rash", "body_area": "small", "blisters_or_peeling": True}]
MONITOR = [{"code": "diarrhea", "stools_over_baseline": 3}]
ROUTINE: list[dict[str, Any]] = []


def another_patient(ward: dict[str, Any]) -> Any:
    """One more patient of the ward's care team. A patient has one open alert at a time (what
    comes next joins it), so tests that need several alerts give each its own patient; the
    ward patient's name and number, which no message may carry, are shared by them all."""
    from tests.factories import PatientFactory

    count = Patient.objects.filter(care_team=ward["team"]).count()
    return PatientFactory.create(
        care_team=ward["team"],
        full_name=ward["patient"].full_name,
        hospital_number=f"{ward['patient'].hospital_number}-{count}",
        regimen=ward["patient"].regimen,
    )


def make_report(patient: Any, symptoms: list[dict[str, Any]], note: str = "") -> Report:
    """A stored report with its real assessment, stored as `report_submit` stores it, but
    without raising its alert: these tests call `alert_raise_for_report` themselves."""
    assessment = assess({"regimen": list(patient.regimen) or None, "symptoms": symptoms})
    report = Report.objects.create(
        patient=patient,
        reporter_role=Report.ReporterRole.FAMILY,
        note=note,
        regimen=list(patient.regimen),
        level=assessment.level.value,
        suspected_irae=list(assessment.suspected_irae),
        reasons=[stored_reason(reason) for reason in assessment.reasons],
        ruleset=assessment.ruleset,
    )
    store_symptom_entries(report, symptoms, assessment)
    return report


class RecordingPublisher:
    """Stands in for the broker: records the batches of ids handed to it (and every id, in
    order, in `published`), or fails like a dead one after `fail_after` messages."""

    def __init__(self) -> None:
        self.published: list[int] = []
        self.batches: list[list[int]] = []
        self.fail_after: int | None = None

    def __call__(self, notification_ids: Sequence[int]) -> None:
        if self.fail_after is not None and len(self.batches) >= self.fail_after:
            from kombu.exceptions import OperationalError

            raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        self.batches.append(list(notification_ids))
        self.published.extend(notification_ids)
