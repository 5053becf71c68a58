"""The alert page's one form: call, note, outcome, resolve (escalate apart). Nothing a nurse
types is lost, whatever button she presses; resolving asks first, then offers the next alert.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert, AlertEvent, User
from reporting.services import alert_acknowledge, alert_record_outcome
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert, submit
from tests.reporting.reports.helpers import inputs_by_name, text_of
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(care_team: Any) -> Alert:
    """An urgent alert reported by the patient's son, both with phone numbers."""
    patient = PatientFactory.create(
        care_team=care_team, phone="+84281234567", full_name="Trần Văn Bố"
    )
    daughter = FamilyUserFactory.create(first_name="Hà", last_name="Trần")
    CaregiverLinkFactory.create(
        user=daughter, patient=patient, relationship="child", phone="+84905000111"
    )
    son = FamilyUserFactory.create(first_name="Minh", last_name="Trần")
    CaregiverLinkFactory.create(
        user=son, patient=patient, relationship="child", phone="+84912345678"
    )
    return alert_of(submit(patient, [{"code": "diarrhea", "stools_over_baseline": 5}], by=son))


def act(client: Any, alert: Alert, **data: str) -> Any:
    return client.post(reverse("alert_act", args=[alert.pk]), data)


def events(alert: Alert, kind: str) -> list[str]:
    return list(AlertEvent.objects.filter(alert=alert, kind=kind).values_list("note", flat=True))


def test_the_first_call_button_calls_the_person_who_reported(
    nurse_client: Any, reported: Alert
) -> None:
    body = nurse_client.get(reverse("alert_detail", args=[reported.pk])).content.decode()
    calls = body.split('id="call-list"')[1].split("</ul>")[0]
    numbers = [part.split('"')[0] for part in calls.split('href="tel:')[1:]]
    # The son who was told "keep your phone close", then the patient, then the daughter.
    assert numbers == ["+84912345678", "+84281234567", "+84905000111"]
    first = text_of(calls.split("</li>")[0])
    assert "Minh Trần" in first and "sent this report" in first


def test_a_call_note_typed_before_record_outcome_is_kept(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    response = act(
        nurse_client,
        reported,
        step="outcome",
        outcome="self_care",
        call_note="Spoke to the son: 5 stools, drinking well.",
    )
    assert response.status_code == 302
    assert events(reported, AlertEvent.Kind.CALL_NOTE) == [
        "Spoke to the son: 5 stools, drinking well."
    ]
    assert events(reported, AlertEvent.Kind.OUTCOME) == ["self_care"]


def test_a_call_note_typed_before_acknowledging_is_kept(nurse_client: Any, reported: Alert) -> None:
    act(nurse_client, reported, step="acknowledge", call_note="Rang the son at 10:02.")
    reported.refresh_from_db()
    assert reported.status == Alert.Status.ACKNOWLEDGED
    assert events(reported, AlertEvent.Kind.CALL_NOTE) == ["Rang the son at 10:02."]


def test_resolve_asks_first_and_changes_nothing_until_confirmed(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    typed = {
        "call_note": "Advised fluids.\nWill call back tomorrow.",
        "outcome": "self_care",
        "closing_note": "Settled.",
    }
    confirm = act(nurse_client, reported, step="resolve", **typed)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert 'id="confirm-resolve"' in page
    assert "Self-care advice given" in text_of(page.split('id="confirm-outcome"')[1])
    hidden = {
        name: tags[0].get("value")
        for name, tags in inputs_by_name(page.split('id="confirm-resolve"')[1]).items()
    }
    assert hidden["call_note"] == typed["call_note"] and hidden["confirmed"] == "True"
    reported.refresh_from_db()
    assert reported.status == Alert.Status.ACKNOWLEDGED
    assert events(reported, AlertEvent.Kind.CALL_NOTE) == []

    done = act(nurse_client, reported, step="resolve", confirmed="True", **typed)
    assert done.status_code == 302
    reported.refresh_from_db()
    assert (reported.status, reported.outcome) == (Alert.Status.RESOLVED, "self_care")
    assert events(reported, AlertEvent.Kind.CALL_NOTE) == [typed["call_note"]]
    assert events(reported, AlertEvent.Kind.RESOLVED) == ["Settled."]


def test_going_back_from_the_confirmation_keeps_what_was_typed(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    back = act(
        nurse_client,
        reported,
        back="1",
        call_note="Half written",
        outcome="clinic_visit",
        closing_note="",
    )
    assert back.status_code == 200
    page = back.content.decode()
    assert "Half written</textarea>" in page
    assert 'value="clinic_visit" checked' in page.replace("\n", " ") or (
        "checked" in page.split('value="clinic_visit"')[1].split(">")[0]
    )
    assert Alert.objects.get(pk=reported.pk).status == Alert.Status.ACKNOWLEDGED


def test_a_refusal_shows_the_page_again_with_everything_typed(
    nurse_client: Any, reported: Alert
) -> None:
    # Still new: an outcome cannot be recorded yet. Nothing is saved, nothing is lost.
    response = act(
        nurse_client,
        reported,
        step="outcome",
        outcome="self_care",
        call_note="Tried twice, no answer.",
        closing_note="later",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acknowledge the alert before recording an outcome." in page
    assert "Tried twice, no answer.</textarea>" in page
    assert events(reported, AlertEvent.Kind.CALL_NOTE) == []


def test_text_a_step_does_not_use_comes_back_on_the_page(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    response = act(
        nurse_client,
        reported,
        step="outcome",
        outcome="clinic_visit",
        closing_note="Booked for Thursday",
        escalation_note="",
    )
    assert response.status_code == 302
    page = nurse_client.get(response["Location"]).content.decode()
    assert "Booked for Thursday</textarea>" in page
    # Only once: a reload does not bring it back again.
    again = nurse_client.get(response["Location"]).content.decode()
    assert "Booked for Thursday" not in again


def test_resolve_without_an_outcome_is_refused_before_asking(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    response = act(nurse_client, reported, step="resolve", call_note="Spoke to him")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="confirm-resolve"' not in page
    assert "Record the outcome before resolving the alert." in page
    assert "Spoke to him</textarea>" in page


def test_after_resolving_the_next_open_alert_is_offered(
    nurse_client: Any, nurse: User, other_nurse: User, care_team: Any, reported: Alert
) -> None:
    waiting = raise_alert(
        PatientFactory.create(care_team=care_team), "monitor", ago=dt.timedelta(hours=2)
    )
    taken = raise_alert(PatientFactory.create(care_team=care_team), "emergency")
    alert_acknowledge(alert=taken, nurse=other_nurse)  # another nurse is on that one
    alert_acknowledge(alert=reported, nurse=nurse)
    alert_record_outcome(alert=reported, nurse=nurse, outcome="self_care")
    response = act(nurse_client, reported, step="resolve", confirmed="True")
    page = nurse_client.get(response["Location"]).content.decode()
    assert "Alert resolved." in page
    next_link = page.split('id="next-alert"')[1].split(">")[0]
    assert f'href="{reverse("alert_detail", args=[waiting.pk])}"' in next_link


def test_with_nothing_else_waiting_the_page_says_so(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    alert_record_outcome(alert=reported, nurse=nurse, outcome="self_care")
    response = act(nurse_client, reported, step="resolve", confirmed="True")
    page = nurse_client.get(response["Location"]).content.decode()
    assert 'id="no-next-alert"' in page


def test_the_snooze_form_has_no_symptom_chosen(
    nurse_client: Any, nurse: User, patient: Any
) -> None:
    page = nurse_client.get(reverse("nurse_patient", args=[patient.pk])).content.decode()
    select = page.split('name="code"')[1].split("</select>")[0]
    first_option = select.split("<option")[1]
    assert 'value=""' in first_option and "selected" in first_option
    response = nurse_client.post(reverse("snooze_create", args=[patient.pk]), {"days": "7"})
    shown = [str(m) for m in nurse_client.get(response["Location"]).context["messages"]]
    assert shown == ["Choose the symptom to snooze."]
    assert not patient.snoozes.exists()


def test_resolving_with_a_reason_to_escalate_typed_asks_first(
    nurse_client: Any, nurse: User, reported: Alert
) -> None:
    alert_acknowledge(alert=reported, nurse=nurse)
    alert_record_outcome(alert=reported, nurse=nurse, outcome="self_care")
    for confirmed in ("", "True"):
        response = act(
            nurse_client,
            reported,
            step="resolve",
            confirmed=confirmed,
            escalation_note="Family not answering, oncologist to call",
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "press “Escalate now” first, or clear that box" in page
        assert "Family not answering, oncologist to call</textarea>" in page
    assert Alert.objects.get(pk=reported.pk).status == Alert.Status.ACKNOWLEDGED


def test_the_due_time_says_its_day(nurse_client: Any, care_team: Any) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "monitor")
    page = nurse_client.get(reverse("alert_detail", args=[alert.pk])).content.decode()
    due = timezone.localtime(alert.due_at)
    assert f"first contact due {due:%-d %b %H:%M}" in text_of(page)
