"""A panel at monitor or above opens an alert like a report: the queue and the alert page say
"lab results", show each abnormal result with its grade and what it was read against, and the
ASCO guidance; families never see a value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import Alert, LabPanel, Patient, User
from reporting.services import alert_acknowledge, digests_send
from reporting.services.labs import ResultInput, lab_panel_record
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, PatientFactory
from tests.reporting.dashboard.factories import submit
from tests.reporting.labs.conftest import at
from tests.reporting.reports.helpers import text_of
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db

HEPATITIS = [
    ResultInput("alt", "250", "U/L", uln="40"),
    ResultInput("bilirubin", "30", "umol/L", uln="21"),
    ResultInput("platelets", "180", "10^9/L", lln="150"),
]


def record(patient: Patient, nurse: User, results: list[ResultInput], days: int = 10) -> LabPanel:
    return lab_panel_record(
        patient=patient,
        collected_at=at(days),
        results=results,
        source=LabPanel.Source.ENTERED,
        entered_by=nurse,
    )


def test_the_alert_page_shows_lab_results_abnormal_first_with_guidance(
    nurse_client: Client, nurse: User, liver_patient: Patient
) -> None:
    panel = record(liver_patient, nurse, HEPATITIS)
    body = nurse_client.get(reverse("alert_detail", args=[alert_of(panel).pk])).content.decode()
    section = body.split(f'data-panel="{panel.pk}"')[1].split("</section>")[0]
    rows = section.split("<tbody>")[1]
    assert rows.index('data-test="alt"') < rows.index('data-test="platelets"')
    alt_row = text_of(rows.split('data-test="alt"')[1].split("</tr>")[0])
    assert "250 U/L" in alt_row and "6.25 x ULN" in alt_row and "3" in alt_row
    guidance = body.split('id="guidance"')[1].split("</section>")[0]
    assert "Hepatic" in guidance and "grade 3 reported" in guidance
    queue = nurse_client.get(reverse("triage_queue")).content.decode()
    row = queue.split(f'data-alert-id="{alert_of(panel).pk}"')[1].split("</tr>")[0]
    assert "Lab results" in row


def test_a_monitor_panel_waits_for_the_digest(nurse: User, liver_patient: Patient) -> None:
    panel = record(liver_patient, nurse, [ResultInput("alt", "100", "U/L", uln="40")])
    alert = alert_of(panel)
    assert alert.level == "monitor" and not alert.notifications.exists()
    assert digests_send() == 1
    assert alert.digests.exists()


def test_a_routine_panel_opens_no_alert(nurse: User, liver_patient: Patient) -> None:
    panel = record(liver_patient, nurse, [ResultInput("alt", "30", "U/L", uln="40")])
    assert panel.alert is None and not Alert.objects.exists()


def test_liver_signs_reported_within_7_days_are_shown_on_a_hepatic_lab_alert(
    nurse_client: Client, nurse: User, liver_patient: Patient
) -> None:
    son = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=son, patient=liver_patient)
    near = submit(liver_patient, [{"code": "liver", "yellow_skin_or_eyes": True}], by=son)
    panel = lab_panel_record(
        patient=liver_patient,
        collected_at=near.submitted_at + dt.timedelta(days=2),
        results=HEPATITIS,
        source=LabPanel.Source.ENTERED,
        entered_by=nurse,
    )
    body = nurse_client.get(reverse("alert_detail", args=[alert_of(panel).pk])).content.decode()
    liver = body.split('id="liver-reports"')[1].split("</section>")[0]
    assert reverse("report_result", args=[near.pk]) in liver
    assert "Yellow" in liver


def test_families_never_see_values_only_that_a_nurse_reviewed_the_blood_tests(
    client: Client, nurse: User, liver_patient: Patient
) -> None:
    son = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=son, patient=liver_patient)
    panel = record(liver_patient, nurse, HEPATITIS)
    client.force_login(son)
    history = reverse("patient_history", args=[liver_patient.pk])
    assert 'id="lab-reviews"' not in client.get(history).content.decode()  # not dealt with yet
    alert_acknowledge(alert=alert_of(panel), nurse=nurse)
    page = client.get(history).content.decode()
    assert "A nurse reviewed the blood test results on" in text_of(page)
    for detail in ("250", "U/L", "ALT", "bilirubin", "Bilirubin"):
        assert detail not in page.split('id="lab-reviews"')[1].split("</section>")[0]
    assert client.get(reverse("alert_detail", args=[alert_of(panel).pk])).status_code == 403
    assert client.get(reverse("nurse_patient", args=[liver_patient.pk])).status_code == 403


def test_a_nurse_of_another_team_gets_404_for_the_labs(
    client: Client, nurse: User, liver_patient: Patient, outsider: User
) -> None:
    panel = record(liver_patient, nurse, HEPATITIS)
    client.force_login(outsider)
    assert client.get(reverse("alert_detail", args=[alert_of(panel).pk])).status_code == 404
    assert client.get(reverse("nurse_patient", args=[liver_patient.pk])).status_code == 404
    result = panel.results.get(test="alt")
    response = client.post(
        reverse("baseline_choose", args=[liver_patient.pk]), {"result": result.pk}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 8])
def test_the_patient_pages_queries_do_not_grow_with_lab_panels(
    client: Client, nurse: User, care_team: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    patient = PatientFactory.create(care_team=care_team, treatment_start_date=at(0).date())
    for index in range(count):
        record(patient, nurse, HEPATITIS, days=index - 3)
    client.force_login(nurse)
    # 17: the page (its check-in call log included), the staff sign-in's two-factor device
    # and the access record.
    with django_assert_max_num_queries(17):
        body = client.get(reverse("nurse_patient", args=[patient.pk])).content.decode()
    assert body.count("<tr data-panel=") == count
    assert 'data-test="alt"' in body  # the ALT trend chart
