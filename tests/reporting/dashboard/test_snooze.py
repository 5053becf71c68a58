"""Snoozing an expected symptom: at most 30 days, catalogue codes only, and only the "that
symptom alone at monitor level" case is silenced; urgent and emergency always alert."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert, Report, Snooze, User
from reporting.services import AlertActionError, snooze_cancel, snooze_symptom
from tests.factories import NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import (
    BLOOD_PRESSURE_EMERGENCY,
    BLOOD_PRESSURE_MONITOR,
    BLOOD_PRESSURE_URGENT,
    submit,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
BP = "high_blood_pressure"


@pytest.fixture
def lenvatinib_patient(care_team: Any) -> Any:
    return PatientFactory.create(care_team=care_team, regimen=["lenvatinib"])


@pytest.fixture
def snoozed(nurse: User, lenvatinib_patient: Any) -> Snooze:
    return snooze_symptom(
        nurse=nurse, patient=lenvatinib_patient, code=BP, days=14, reason="Known, on treatment"
    )


def has_alert(report: Report) -> bool:
    return Alert.objects.filter(reports=report).exists()


def test_snoozed_symptom_alone_at_monitor_raises_no_alert_but_is_stored(
    nurse_client: Any, snoozed: Snooze, lenvatinib_patient: Any
) -> None:
    report = submit(lenvatinib_patient, BLOOD_PRESSURE_MONITOR)
    assert report.level == "monitor"
    assert not has_alert(report)
    # Still stored and shown: the patient page lists it with its grade.
    body = nurse_client.get(reverse("nurse_patient", args=[lenvatinib_patient.pk])).content
    reports = body.decode().split('id="reports"')[1].split("</table>")[0]
    assert "High blood pressure" in reports and "grade 2" in reports


@pytest.mark.parametrize("answers", [BLOOD_PRESSURE_URGENT, BLOOD_PRESSURE_EMERGENCY])
def test_urgent_and_emergency_are_never_snoozed(
    snoozed: Snooze, lenvatinib_patient: Any, answers: list[dict[str, Any]]
) -> None:
    report = submit(lenvatinib_patient, answers)
    assert report.level in {"urgent", "emergency"}
    assert has_alert(report)


def test_another_symptom_at_monitor_still_alerts(snoozed: Snooze, lenvatinib_patient: Any) -> None:
    report = submit(lenvatinib_patient, [{"code": "nausea", "severity": "moderate"}])
    assert report.level == "monitor"
    assert has_alert(report)


def test_snoozed_symptom_with_another_amber_is_urgent_and_alerts(
    snoozed: Snooze, lenvatinib_patient: Any
) -> None:
    report = submit(
        lenvatinib_patient, [*BLOOD_PRESSURE_MONITOR, {"code": "nausea", "severity": "moderate"}]
    )
    assert report.level == "urgent"  # two ambers make a red
    assert has_alert(report)


def test_snooze_of_another_patient_does_not_apply(snoozed: Snooze, care_team: Any) -> None:
    other = PatientFactory.create(care_team=care_team, regimen=["lenvatinib"])
    assert has_alert(submit(other, BLOOD_PRESSURE_MONITOR))


def test_cancelled_or_expired_snooze_alerts_again(
    nurse: User, snoozed: Snooze, lenvatinib_patient: Any
) -> None:
    snooze_cancel(nurse=nurse, snooze=snoozed)
    assert has_alert(submit(lenvatinib_patient, BLOOD_PRESSURE_MONITOR))

    with time_machine.travel(NOW, tick=False):
        snooze_symptom(nurse=nurse, patient=lenvatinib_patient, code=BP, days=3)
    with time_machine.travel(NOW + dt.timedelta(days=3, minutes=1), tick=False):
        report = submit(lenvatinib_patient, BLOOD_PRESSURE_MONITOR)
    assert has_alert(report)


def test_snooze_lasts_the_days_asked_and_at_most_30(nurse: User, lenvatinib_patient: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        snooze = snooze_symptom(nurse=nurse, patient=lenvatinib_patient, code=BP, days=30)
    assert snooze.until == NOW + dt.timedelta(days=30)
    assert (snooze.created_by, snooze.created_at) == (nurse, NOW)
    for days in (0, 31, -1, 365):
        with pytest.raises(AlertActionError, match="1 to 30 days"):
            snooze_symptom(nurse=nurse, patient=lenvatinib_patient, code=BP, days=days)


def test_only_catalogue_codes_can_be_snoozed(nurse: User, lenvatinib_patient: Any) -> None:
    with pytest.raises(AlertActionError):
        snooze_symptom(nurse=nurse, patient=lenvatinib_patient, code="hypertension", days=3)
    assert not Snooze.objects.exists()


def test_a_new_snooze_replaces_the_active_one(
    nurse: User, snoozed: Snooze, lenvatinib_patient: Any
) -> None:
    newer = snooze_symptom(nurse=nurse, patient=lenvatinib_patient, code=BP, days=30)
    snoozed.refresh_from_db()
    assert snoozed.cancelled_at is not None
    active = Snooze.objects.filter(cancelled_at__isnull=True, until__gt=timezone.now())
    assert list(active) == [newer]


def test_snooze_form_validates_and_redirects_back(
    nurse_client: Any, nurse: User, lenvatinib_patient: Any
) -> None:
    url = reverse("snooze_create", args=[lenvatinib_patient.pk])
    page = reverse("nurse_patient", args=[lenvatinib_patient.pk])
    for bad in ({"code": BP, "days": "31"}, {"code": "nope", "days": "7"}, {"code": BP}):
        response = nurse_client.post(url, bad)
        assert (response.status_code, response["Location"]) == (302, page)
    assert not Snooze.objects.exists()

    response = nurse_client.post(url, {"code": BP, "days": "10", "reason": "GP treating it"})
    assert response["Location"] == page
    snooze = Snooze.objects.get()
    assert (snooze.code, snooze.reason, snooze.created_by) == (BP, "GP treating it", nurse)
    body = nurse_client.get(page).content.decode()
    listed = body.split('id="snoozes"')[1].split("</ul>")[0]
    assert "High blood pressure" in listed and "GP treating it" in listed
    assert reverse("snooze_cancel", args=[snooze.pk]) in listed


def test_cancel_button_ends_the_snooze(
    nurse_client: Any, snoozed: Snooze, lenvatinib_patient: Any
) -> None:
    response = nurse_client.post(reverse("snooze_cancel", args=[snoozed.pk]))
    assert response["Location"] == reverse("nurse_patient", args=[lenvatinib_patient.pk])
    snoozed.refresh_from_db()
    assert snoozed.cancelled_at is not None
    body = nurse_client.get(response["Location"]).content.decode()
    assert "No symptom is snoozed." in body


def test_snoozing_for_another_teams_patient_is_refused(
    nurse: User, other_team_patient: Any
) -> None:
    with pytest.raises(PermissionDenied):
        snooze_symptom(nurse=nurse, patient=other_team_patient, code=BP, days=3)
    other = snooze_symptom(
        nurse=NurseFactory.create(care_teams=[other_team_patient.care_team]),
        patient=other_team_patient,
        code=BP,
        days=3,
    )
    with pytest.raises(PermissionDenied):
        snooze_cancel(nurse=nurse, snooze=other)
