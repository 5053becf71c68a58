"""Reports and alerts for dashboard tests, made the real way: `report_submit` assesses the
answers with the triage engine (`reporting.triage.assess`), stores the report, its symptom
entries and reasons, and raises the alert with its `created` event. So every grade, level,
irAE flag and due time a test sees is the one production would store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from reporting.models import Alert, CaregiverLink, Patient, Relationship, Report, User
from reporting.services import report_submit
from tests.factories import CaregiverLinkFactory, FamilyUserFactory
from tests.support.alerts import alert_of

# Answers that the engine grades as the key says, for a patient on an immune checkpoint
# inhibitor (the default factory regimen: atezolizumab + bevacizumab).
SYMPTOMS: dict[str, list[dict[str, Any]]] = {
    # Check-in: nothing reported.
    "routine": [],
    # Diarrhoea grade 1: monitor, gastrointestinal.
    "monitor": [{"code": "diarrhea", "stools_over_baseline": 2}],
    # Diarrhoea grade 2: urgent, gastrointestinal.
    "urgent": [{"code": "diarrhea", "stools_over_baseline": 5}],
    # Chest pain: emergency, cardiac (lab-graded).
    "emergency": [{"code": "chest_or_heart", "chest_pain": True}],
}
# Blood pressure 145/85 is grade 2 hypertension: monitor, no irAE (anti-VEGF typical).
BLOOD_PRESSURE_MONITOR = [{"code": "high_blood_pressure", "systolic": 145, "diastolic": 85}]
# 165/95 is grade 3: urgent.
BLOOD_PRESSURE_URGENT = [{"code": "high_blood_pressure", "systolic": 165, "diastolic": 95}]
# With warning signs and grade 3: grade 4, emergency.
BLOOD_PRESSURE_EMERGENCY = [
    {"code": "high_blood_pressure", "systolic": 190, "diastolic": 110, "warning_signs": True}
]


def family_member_of(patient: Patient) -> User:
    """The patient's first linked family member (one is created when there is none)."""
    link = patient.caregiver_links.select_related("user").order_by("pk").first()
    if link is None:
        link = CaregiverLinkFactory.create(
            user=FamilyUserFactory.create(), patient=patient, relationship=Relationship.CHILD
        )
    return link.user


def submit(
    patient: Patient,
    symptoms: list[dict[str, Any]],
    *,
    ago: dt.timedelta = dt.timedelta(0),
    by: User | None = None,
    note: str = "",
) -> Report:
    """Submit a report as if it was sent `ago` (the clock is moved, so the alert's created_at
    and due_at are that old too)."""
    reporter = by or family_member_of(patient)
    link = CaregiverLink.objects.filter(user=reporter, patient=patient).first()
    role = Report.ReporterRole.FAMILY if link else Report.ReporterRole.NURSE
    if link and link.relationship == Relationship.SELF:
        role = Report.ReporterRole.PATIENT
    with time_machine.travel(timezone.now() - ago, tick=False):
        return report_submit(
            patient=patient,
            reported_by=reporter,
            reporter_role=role,
            reporter_relationship=link.relationship if link else "",
            symptoms=[dict(entry) for entry in symptoms],
            note=note,
        )


def raise_alert(
    patient: Patient, level: str = "urgent", *, ago: dt.timedelta = dt.timedelta(0), **kw: Any
) -> Alert:
    """An alert of `level` for `patient`, raised `ago`."""
    report = submit(patient, SYMPTOMS[level], ago=ago, **kw)
    assert report.level == level, (report.level, level)
    return alert_of(report)
