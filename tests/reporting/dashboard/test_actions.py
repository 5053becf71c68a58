"""Acting on an alert: every action writes its event with who and when, through the alert
page's one form (POST; PRG on success, the page again with what was typed on a refusal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert, AlertEvent, User
from reporting.services import (
    AlertActionError,
    alert_acknowledge,
    alert_claim,
    alert_record_outcome,
    alert_resolve,
)
from tests.factories import NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def alert(care_team: Any) -> Alert:
    return raise_alert(PatientFactory.create(care_team=care_team), "urgent")


def post(client: Any, step: str, alert: Alert, data: dict[str, str] | None = None) -> Any:
    """Press the button `step` of the alert page's form; the page shown afterwards."""
    response = client.post(reverse("alert_act", args=[alert.pk]), {"step": step, **(data or {})})
    if response.status_code == 302:  # done: back to the alert (PRG)
        assert response["Location"] == reverse("alert_detail", args=[alert.pk])
        return client.get(response["Location"])
    assert response.status_code == 200  # refused: the page again, nothing lost
    return response


def events(alert: Alert, kind: str) -> list[AlertEvent]:
    return list(AlertEvent.objects.filter(alert=alert, kind=kind))


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_acknowledge_claims_the_alert_and_writes_one_event(
    nurse_client: Any, nurse: User, alert: Alert
) -> None:
    with time_machine.travel(NOW, tick=False):
        page = post(nurse_client, "acknowledge", alert)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.claimed_by == nurse
    assert alert.acknowledged_at == NOW
    [event] = events(alert, AlertEvent.Kind.ACKNOWLEDGED)
    assert (event.actor, event.created_at) == (nurse, NOW)
    assert messages_of(page) == ["Acknowledged: the alert is yours."]


def test_the_second_nurse_sees_who_has_it_and_nothing_changes(
    client: Any, nurse: User, other_nurse: User, alert: Alert
) -> None:
    alert_acknowledge(alert=alert, nurse=nurse)
    client.force_login(other_nurse)
    page = post(client, "acknowledge", alert)

    alert.refresh_from_db()
    assert alert.claimed_by == nurse
    assert messages_of(page) == [f"{nurse.get_full_name()} has already acknowledged this alert."]
    assert len(events(alert, AlertEvent.Kind.ACKNOWLEDGED)) == 1


def test_a_stale_alert_object_cannot_double_acknowledge(
    nurse: User, other_nurse: User, alert: Alert
) -> None:
    # Both nurses loaded the alert while it was new; the row lock and re-read decide.
    stale = Alert.objects.get(pk=alert.pk)
    alert_acknowledge(alert=alert, nurse=nurse)
    with pytest.raises(AlertActionError, match="has already acknowledged"):
        alert_acknowledge(alert=stale, nurse=other_nurse)
    assert Alert.objects.get(pk=alert.pk).claimed_by == nurse


def test_take_over_writes_a_claimed_event(
    client: Any, nurse: User, other_nurse: User, alert: Alert
) -> None:
    alert_acknowledge(alert=alert, nurse=nurse)
    client.force_login(other_nurse)
    post(client, "claim", alert)

    alert.refresh_from_db()
    assert alert.claimed_by == other_nurse
    assert alert.status == Alert.Status.ACKNOWLEDGED
    [event] = events(alert, AlertEvent.Kind.CLAIMED)
    assert event.actor == other_nurse


def test_take_over_of_a_new_alert_is_refused(nurse: User, alert: Alert) -> None:
    with pytest.raises(AlertActionError):
        alert_claim(alert=alert, nurse=nurse)
    assert not events(alert, AlertEvent.Kind.CLAIMED)


def test_call_note_is_an_event_with_its_text(nurse_client: Any, nurse: User, alert: Alert) -> None:
    post(nurse_client, "note", alert, {"call_note": "  No answer, voicemail left.  "})
    [event] = events(alert, AlertEvent.Kind.CALL_NOTE)
    assert (event.actor, event.note) == (nurse, "No answer, voicemail left.")


def test_an_empty_call_note_is_refused(nurse_client: Any, alert: Alert) -> None:
    page = post(nurse_client, "note", alert, {"call_note": "   "})
    assert not events(alert, AlertEvent.Kind.CALL_NOTE)
    assert messages_of(page) == ["Write the note first."]


def test_outcome_is_recorded_with_its_event(nurse_client: Any, nurse: User, alert: Alert) -> None:
    alert_acknowledge(alert=alert, nurse=nurse)
    post(nurse_client, "outcome", alert, {"outcome": "emergency_department"})
    alert.refresh_from_db()
    assert alert.outcome == Alert.Outcome.EMERGENCY_DEPARTMENT
    [event] = events(alert, AlertEvent.Kind.OUTCOME)
    assert (event.actor, event.note) == (nurse, "emergency_department")


def test_outcome_other_needs_details_which_become_a_call_note(
    nurse_client: Any, nurse: User, alert: Alert
) -> None:
    alert_acknowledge(alert=alert, nurse=nurse)
    page = post(nurse_client, "outcome", alert, {"outcome": "other"})
    alert.refresh_from_db()
    assert alert.outcome == ""
    assert not events(alert, AlertEvent.Kind.OUTCOME)
    assert "Say what was done." in messages_of(page)

    post(nurse_client, "outcome", alert, {"outcome": "other", "details": "Seen by GP"})
    alert.refresh_from_db()
    assert alert.outcome == Alert.Outcome.OTHER
    assert [e.note for e in events(alert, AlertEvent.Kind.CALL_NOTE)] == ["Seen by GP"]


def test_outcome_before_acknowledging_is_refused(nurse_client: Any, alert: Alert) -> None:
    page = post(nurse_client, "outcome", alert, {"outcome": "self_care"})
    alert.refresh_from_db()
    assert alert.outcome == ""
    assert messages_of(page) == ["Acknowledge the alert before recording an outcome."]


def test_resolve_needs_an_outcome_then_closes_the_alert(
    nurse_client: Any, nurse: User, alert: Alert
) -> None:
    alert_acknowledge(alert=alert, nurse=nurse)
    page = post(nurse_client, "resolve", alert)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert messages_of(page) == ["Record the outcome before resolving the alert."]

    alert_record_outcome(alert=alert, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    with time_machine.travel(NOW, tick=False):
        post(nurse_client, "resolve", alert, {"closing_note": "Settled.", "confirmed": "True"})
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_at) == (Alert.Status.RESOLVED, NOW)
    [event] = events(alert, AlertEvent.Kind.RESOLVED)
    assert (event.actor, event.note, event.created_at) == (nurse, "Settled.", NOW)


def test_a_resolved_alert_cannot_be_acknowledged_again(
    nurse_client: Any, nurse: User, other_nurse: User, alert: Alert
) -> None:
    alert_acknowledge(alert=alert, nurse=nurse)
    alert_record_outcome(alert=alert, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    alert_resolve(alert=alert, nurse=nurse)
    before = list(AlertEvent.objects.filter(alert=alert).values_list("pk", flat=True))

    page = post(nurse_client, "acknowledge", alert)
    assert messages_of(page) == ["This alert is already resolved; nothing was changed."]
    for action in (alert_acknowledge, alert_claim, alert_resolve):
        with pytest.raises(AlertActionError, match="already resolved"):
            action(alert=alert, nurse=other_nurse)
    alert.refresh_from_db()
    assert (alert.status, alert.claimed_by) == (Alert.Status.RESOLVED, nurse)
    assert list(AlertEvent.objects.filter(alert=alert).values_list("pk", flat=True)) == before


def test_escalate_tells_the_escalation_contact_and_records_who(
    nurse_client: Any, nurse: User, care_team: Any, alert: Alert
) -> None:
    care_team.escalation_contact = NurseFactory.create(care_teams=[care_team], first_name="Quang")
    care_team.save()
    with time_machine.travel(NOW, tick=False):
        post(nurse_client, "escalate", alert, {"escalation_note": "Family not answering."})
    alert.refresh_from_db()
    assert (alert.escalation_count, alert.last_escalated_at) == (1, NOW)
    [event] = events(alert, AlertEvent.Kind.ESCALATED)
    assert (event.actor, event.note) == (nurse, "Family not answering.")
    assert alert.notifications.filter(recipient=care_team.escalation_contact).exists()


def test_escalate_without_an_escalation_contact_is_refused(nurse_client: Any, alert: Alert) -> None:
    page = post(nurse_client, "escalate", alert)
    assert not events(alert, AlertEvent.Kind.ESCALATED)
    assert "no escalation contact" in messages_of(page)[0]


def test_actions_are_post_only(nurse_client: Any, alert: Alert) -> None:
    assert nurse_client.get(reverse("alert_act", args=[alert.pk])).status_code == 405
    assert AlertEvent.objects.filter(alert=alert).count() == 1  # just "created"


def test_actions_need_the_csrf_token(nurse: User, alert: Alert) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    response = client.post(reverse("alert_act", args=[alert.pk]), {"step": "acknowledge"})
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.status == Alert.Status.NEW


def test_actions_on_another_teams_alert_are_404_and_change_nothing(
    nurse_client: Any, other_team_patient: Any
) -> None:
    theirs = raise_alert(other_team_patient, "urgent")
    for data in [
        {"step": "acknowledge"},
        {"step": "claim"},
        {"step": "note", "call_note": "x"},
        {"step": "outcome", "outcome": "self_care"},
        {"step": "escalate"},
        {"step": "resolve", "confirmed": "True"},
        {"back": "1"},
    ]:
        response = nurse_client.post(reverse("alert_act", args=[theirs.pk]), data)
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.claimed_by, theirs.outcome) == (Alert.Status.NEW, None, "")
    assert AlertEvent.objects.filter(alert=theirs).count() == 1


def test_services_refuse_a_nurse_of_another_team(alert: Alert) -> None:
    outsider = NurseFactory.create(care_teams=[])
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, nurse=outsider)
    assert Alert.objects.get(pk=alert.pk).status == Alert.Status.NEW


def test_acknowledging_stops_the_overdue_marker(
    nurse_client: Any, nurse: User, care_team: Any
) -> None:
    late = raise_alert(
        PatientFactory.create(care_team=care_team), "urgent", ago=dt.timedelta(minutes=90)
    )
    assert timezone.now() > late.due_at
    alert_acknowledge(alert=late, nurse=nurse)
    body = nurse_client.get(reverse("triage_queue")).content.decode()
    assert "OVERDUE" not in body
