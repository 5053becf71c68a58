"""The alert page: what was reported, by whom, the engine's reasons, history and guidance."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from reporting.models import Alert, AlertEvent, User
from reporting.services import alert_acknowledge, alert_add_call_note, alert_record_outcome
from tests.education.factories import ArticleFactory
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, PatientFactory
from tests.reporting.dashboard.factories import submit
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db

COLITIS: list[dict[str, Any]] = [
    {"code": "diarrhea", "stools_over_baseline": 5},
    {"code": "abdominal_pain", "severity": "moderate"},
]


def page(client: Any, alert: Alert) -> str:
    response = client.get(reverse("alert_detail", args=[alert.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reported(care_team: Any) -> Alert:
    patient = PatientFactory.create(care_team=care_team, regimen=["atezolizumab", "bevacizumab"])
    son = FamilyUserFactory.create(first_name="Minh", last_name="Nguyễn")
    CaregiverLinkFactory.create(user=son, patient=patient, relationship="child")
    report = submit(patient, COLITIS, by=son, note="Dad has had cramps since Sunday.\nNo fever.")
    return alert_of(report)


def test_shows_symptoms_with_grades_levels_and_reasons(nurse_client: Any, reported: Alert) -> None:
    body = page(nurse_client, reported)
    assert "Diarrhoea (loose or watery stools)" in body
    assert "Belly (abdominal) pain" in body
    assert "Colitis pattern" in body  # the rule across symptoms, from the stored reasons
    assert "Diarrhoea grade 2 (4-6 stools a day over usual)" in body
    symptoms = body.split('id="symptoms"')[1].split("</table>")[0]
    assert "<td>2</td>" in symptoms  # both graded 2
    assert symptoms.count("level-urgent") == 2


def test_shows_reporter_relationship_regimen_and_family_note(
    nurse_client: Any, reported: Alert
) -> None:
    body = page(nurse_client, reported)
    reporter = body.split('id="reporter">')[1].split("</dd>")[0]
    assert "Minh Nguyễn" in reporter and "Son or daughter" in reporter
    regimen = body.split('id="regimen">')[1].split("</dd>")[0]
    assert "atezolizumab" in regimen and "Immune checkpoint inhibitor" in regimen
    assert "bevacizumab" in regimen
    assert "Dad has had cramps since Sunday.<br>No fever." in body


def test_family_note_is_escaped(nurse_client: Any, care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team)
    report = submit(
        patient, [{"code": "diarrhea", "stools_over_baseline": 5}], note="<script>alert(1)</script>"
    )
    body = page(nurse_client, alert_of(report))
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_shows_event_history_with_who_and_what(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    alert_add_call_note(alert=reported, nurse=nurse, note="Spoke to the son.")
    alert_record_outcome(alert=reported, nurse=nurse, outcome=Alert.Outcome.CLINIC_VISIT)
    body = page(nurse_client, reported)
    events = body.split('id="events"')[1].split("</ol>")[0]

    kinds = [
        kind
        for kind in ("created", "acknowledged", "call_note", "outcome")
        if f'data-kind="{kind}"' in events
    ]
    assert kinds == ["created", "acknowledged", "call_note", "outcome"]
    assert "Spoke to the son." in events
    assert "Clinic visit booked" in events  # the outcome code shown in words
    assert nurse.get_full_name() in events
    assert "system" in events  # the created event has no actor


def test_guidance_is_labelled_decision_support_and_follows_the_grade(
    nurse_client: Any, reported: Alert
) -> None:
    guidance = page(nurse_client, reported).split('id="guidance"')[1].split("</section>")[0]
    assert "Decision support" in guidance
    assert "ASCO 2021" in guidance
    assert "Gastrointestinal" in guidance and "grade 2 reported" in guidance
    assert "usually hold immunotherapy" in guidance


def test_no_guidance_without_a_suspected_irae(nurse_client: Any, care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team, regimen=["lenvatinib"])
    report = submit(patient, [{"code": "high_blood_pressure", "systolic": 165, "diastolic": 95}])
    assert alert_of(report).suspected_irae == []
    assert 'id="guidance"' not in page(nurse_client, alert_of(report))


def test_links_related_education_pages_for_staff(nurse_client: Any, reported: Alert) -> None:
    ArticleFactory.create(
        title="Colitis on immunotherapy",
        slug="colitis",
        symptom_codes=["diarrhea"],
        audience="staff",
    )
    ArticleFactory.create(title="Unrelated page", slug="unrelated", symptom_codes=["rash"])
    body = page(nurse_client, reported)
    assert "Colitis on immunotherapy" in body
    assert reverse("education:article_detail", args=["colitis"]) in body
    assert "Unrelated page" not in body


def buttons(body: str) -> list[str]:
    """The steps offered by the page's one form, in page order."""
    form = body.split('id="work-form"')[1].split("</form>")[0]
    return re.findall(r'name="step" value="([a-z_]+)"', form)


def test_actions_offered_follow_the_status(
    nurse_client: Any, nurse: User, other_nurse: User, reported: Alert
) -> None:
    body = page(nurse_client, reported)
    assert reverse("alert_act", args=[reported.pk]) in body
    assert buttons(body) == ["acknowledge", "note", "escalate"]

    alert_acknowledge(alert=reported, nurse=other_nurse)
    body = page(nurse_client, reported)
    # Someone else has it: take over, then the work in its order.
    assert buttons(body) == ["claim", "note", "outcome", "resolve", "escalate"]
    claimed_by = body.split('id="alert-claimed-by">')[1].split("</dd>")[0]
    assert other_nurse.get_full_name() in claimed_by


def test_alert_page_query_count_is_bounded(
    client: Any,
    nurse: User,
    care_team: Any,
    reported: Alert,
    django_assert_max_num_queries: Any,
) -> None:
    care_team.escalation_contact = nurse
    care_team.save()
    alert_acknowledge(alert=reported, nurse=nurse)
    for index in range(10):
        alert_add_call_note(alert=reported, nurse=nurse, note=f"Try {index}")
    client.force_login(nurse)
    # session, user, groups, the alert, its reports, their symptoms, its lab panels, events,
    # the family's phone numbers (whom to call), education pages, the infusions (cycle day)
    # 13: the page, the staff sign-in's two-factor device and the access record.
    with django_assert_max_num_queries(13):
        body = page(client, reported)
    assert AlertEvent.objects.filter(alert=reported).count() == 12
    assert body.count('data-kind="call_note"') == 10
