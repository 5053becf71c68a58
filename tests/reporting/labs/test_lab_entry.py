"""A nurse enters one panel on the patient's page: limits pre-filled from the hospital's
reference ranges; bad input shows the engine's message beside the row and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import Alert, LabPanel, LabResult, Notification, Patient, User
from tests.factories import FamilyUserFactory
from tests.reporting.labs.conftest import at
from tests.reporting.reports.helpers import inputs_by_name

pytestmark = pytest.mark.django_db


def url(patient: Patient) -> str:
    return reverse("lab_panel_new", args=[patient.pk])


def post(client: Client, patient: Patient, **rows: dict[str, str]) -> Any:
    data = {"collected_at": at(10).strftime("%Y-%m-%dT%H:%M")}
    for test, fields in rows.items():
        data.update({f"{test}-{name}": value for name, value in fields.items()})
    return client.post(url(patient), data)


def test_the_form_prefills_the_hospitals_reference_limits(
    nurse_client: Client, liver_patient: Patient, ranges: None
) -> None:
    inputs = inputs_by_name(nurse_client.get(url(liver_patient)).content.decode())
    assert inputs["alt-uln"][0]["value"] == "40"
    assert inputs["platelets-lln"][0]["value"] == "150"
    assert inputs["bilirubin-uln"][0]["value"] == "21"  # umol/L, the first unit with a range
    assert "tsh-value" in inputs and "alt-lln" in inputs  # every test; LLN allowed on ALT


def test_a_panel_is_graded_stored_as_typed_and_alerts_through_the_outbox(
    nurse_client: Client, nurse: User, liver_patient: Patient, ranges: None
) -> None:
    response = post(
        nurse_client,
        liver_patient,
        alt={"value": "250", "unit": "U/L", "uln": "40"},
        bilirubin={"value": "2,10", "unit": "mg/dL", "uln": "1.2"},
    )
    assert response.status_code == 302
    panel = LabPanel.objects.get()
    assert (panel.source, panel.entered_by, panel.ruleset) == ("entered", nurse, "2026.2")
    assert panel.level == "urgent" and panel.suspected_irae == ["hepatic"]
    rows = {r.test: r for r in panel.results.all()}
    assert rows["bilirubin"].value == "2,10"  # as typed
    assert (rows["alt"].grade, rows["alt"].ratio, rows["alt"].ratio_to) == (3, "6.25", "uln")
    alert = Alert.objects.get()
    assert (alert.source, alert.level, panel.alert) == ("lab_panel", "urgent", alert)
    assert Notification.objects.filter(alert=alert, purpose="alert").exists()


def test_an_invalid_result_is_shown_beside_its_row_and_nothing_is_stored(
    nurse_client: Client, liver_patient: Patient, ranges: None
) -> None:
    response = post(
        nurse_client,
        liver_patient,
        alt={"value": "250", "unit": "U/L", "uln": ""},  # ALT needs its ULN
        platelets={"value": "lots", "unit": "10^9/L", "lln": "150"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "write the numbers as digits" in page
    assert not LabPanel.objects.exists() and not LabResult.objects.exists()
    assert not Alert.objects.exists()


def test_the_engine_names_the_test_and_field_beside_the_row(
    nurse_client: Client, liver_patient: Patient, ranges: None
) -> None:
    page = post(
        nurse_client, liver_patient, alt={"value": "250", "unit": "U/L", "uln": ""}
    ).content.decode()
    row = page.split('data-test="alt"')[1].split("</tr>")[0]
    assert "&#x27;uln&#x27; is required" in row or "'uln' is required" in row
    assert not LabPanel.objects.exists()


def test_nothing_typed_is_refused(nurse_client: Client, liver_patient: Patient) -> None:
    page = post(nurse_client, liver_patient).content.decode()
    assert "Type the value of at least one test." in page
    assert not LabPanel.objects.exists()


def test_the_same_sample_twice_is_refused_beside_the_time(
    nurse_client: Client, liver_patient: Patient, ranges: None
) -> None:
    post(nurse_client, liver_patient, alt={"value": "30", "unit": "U/L", "uln": "40"})
    page = post(
        nurse_client, liver_patient, alt={"value": "30", "unit": "U/L", "uln": "40"}
    ).content.decode()
    assert "already recorded for this patient" in page
    assert LabPanel.objects.count() == 1


def test_a_nurse_of_another_team_gets_404_and_families_403(
    client: Client, liver_patient: Patient, outsider: User
) -> None:
    client.force_login(outsider)
    assert client.get(url(liver_patient)).status_code == 404
    response = post(client, liver_patient, alt={"value": "30", "unit": "U/L", "uln": "40"})
    assert response.status_code == 404
    client.force_login(FamilyUserFactory.create())
    assert client.get(url(liver_patient)).status_code == 403
    assert not LabPanel.objects.exists()
