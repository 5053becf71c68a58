"""The nurse's page of a patient: regimen, team, family, open alerts, reports and the chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert, Infusion, User
from reporting.services import alert_acknowledge, alert_record_outcome, alert_resolve
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, PatientFactory
from tests.reporting.dashboard.factories import SYMPTOMS, raise_alert, submit

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def page(client: Any, patient: Any) -> str:
    response = client.get(reverse("nurse_patient", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(body: str, element_id: str, end: str) -> str:
    return body.split(f'id="{element_id}"')[1].split(end)[0]


def test_shows_regimen_care_team_and_family(nurse_client: Any, care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team, regimen=["durvalumab", "tremelimumab"])
    wife = FamilyUserFactory.create(first_name="Lan", last_name="Trần", email="lan@example.org")
    CaregiverLinkFactory.create(user=wife, patient=patient, relationship="spouse")
    body = page(nurse_client, patient)

    assert "durvalumab" in section(body, "regimen", "</dd>")
    assert care_team.name in section(body, "care-team", "</dd>")
    family = section(body, "family", "</ul>")
    assert "Lan Trần" in family and "Husband, wife or partner" in family
    assert "mailto:lan@example.org" in family


def test_lists_open_alerts_only(nurse_client: Any, nurse: User, care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team)
    closed = raise_alert(patient, "monitor", ago=2 * DAY)
    alert_acknowledge(alert=closed, nurse=nurse)
    alert_record_outcome(alert=closed, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    alert_resolve(alert=closed, nurse=nurse)
    open_alert = raise_alert(patient, "urgent")  # a resolved alert stays resolved: a new one

    alerts = section(page(nurse_client, patient), "open-alerts", "</tbody>")
    assert f'data-alert-id="{open_alert.pk}"' in alerts
    assert f'data-alert-id="{closed.pk}"' not in alerts


def test_charts_each_symptoms_grade_by_date(nurse_client: Any, care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team)
    submit(patient, [{"code": "diarrhea", "stools_over_baseline": 2}], ago=6 * DAY)
    submit(
        patient,
        [{"code": "diarrhea", "stools_over_baseline": 5}, {"code": "rash", "body_area": "medium"}],
        ago=3 * DAY,
    )
    submit(patient, [{"code": "liver", "dark_urine": True}], ago=1 * DAY)  # lab-graded
    body = page(nurse_client, patient)

    chart = section(body, "grade-chart", "</figure>")
    assert "<svg" in chart and 'role="img"' in chart
    assert 'data-code="diarrhea"' in chart and 'data-code="rash"' in chart
    assert 'data-code="liver"' not in chart  # no grade to plot
    assert chart.count("<polyline") == 1  # diarrhoea has two days; rash one
    assert "grade 1</title>" in chart and "grade 2</title>" in chart
    assert "Diarrhoea (loose or watery stools)" in chart  # legend


def test_lists_recent_reports_with_grades_and_alert_links(
    nurse_client: Any, care_team: Any
) -> None:
    patient = PatientFactory.create(care_team=care_team)
    checkin = submit(patient, SYMPTOMS["routine"], ago=2 * DAY)
    alert = raise_alert(patient, "urgent")
    reports = section(page(nurse_client, patient), "reports", "</table>")

    assert reverse("report_result", args=[checkin.pk]) in reports
    assert "Feeling well (check-in)" in reports
    assert "Diarrhoea (loose or watery stools) (grade 2)" in reports
    assert reverse("alert_detail", args=[alert.pk]) in reports


def test_without_reports_the_page_says_so(nurse_client: Any, patient: Any) -> None:
    body = page(nurse_client, patient)
    assert "No reports yet." in body
    assert "No graded symptoms reported" in body
    assert '<svg class="grade-chart"' not in body


def test_the_patient_detail_page_links_nurses_here(nurse_client: Any, patient: Any) -> None:
    body = nurse_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert reverse("nurse_patient", args=[patient.pk]) in body


def test_families_still_see_their_patient_detail_page_without_nurse_links(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert response.status_code == 200
    assert reverse("nurse_patient", args=[patient.pk]) not in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_patient_page_query_count_does_not_grow_with_reports_and_alerts(
    client: Any, nurse: User, care_team: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    patient = PatientFactory.create(care_team=care_team)
    first_dose = timezone.localdate() - (count + 3) * DAY  # all three before the reports
    for cycle in range(1, 4):
        Infusion.objects.create(
            patient=patient, given_on=first_dose + (cycle - 1) * DAY, drugs=[], cycle_number=cycle
        )
    for index in range(count):
        level = ("monitor", "urgent", "routine")[index % 3]
        submit(patient, SYMPTOMS[level], ago=(count - index) * DAY)
    # One episode, one alert: every report joined the first alert.
    assert patient.alerts.count() == 1
    assert patient.alerts.get().reports.count() == count
    client.force_login(nurse)

    # session, user, groups, patient, family, reports, their symptoms, chart, alerts, snoozes,
    # lab panels (and their results when there are some), baseline candidates and choices,
    # infusions, check-in calls
    # 17: the page, the staff sign-in's two-factor device and the access record.
    with django_assert_max_num_queries(17):
        body = page(client, patient)
    assert section(body, "reports", "</table>").count("cycle 3, day") == min(count, 20)
    assert section(body, "reports", "</table>").count("<tr>") == 1 + min(count, 20)
