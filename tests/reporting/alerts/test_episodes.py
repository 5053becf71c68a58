"""One episode, one alert: what a patient sends while an alert is open joins it; a more
severe report raises it and tells nurses again; the rest pages nobody."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from reporting.models import Alert, AlertEvent, LabPanel, Notification, Patient, User
from reporting.services import alert_acknowledge, alert_record_outcome, alert_resolve
from reporting.services.labs import ResultInput, lab_panel_record
from tests.factories import CaregiverLinkFactory, CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import SYMPTOMS, submit
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db

MONITOR, URGENT, EMERGENCY = SYMPTOMS["monitor"], SYMPTOMS["urgent"], SYMPTOMS["emergency"]


def pages(alert: Alert) -> int:
    return Notification.objects.filter(alert=alert, purpose="alert").count()


def test_three_urgent_reports_in_an_hour_are_one_alert_and_one_page(
    patient: Patient, nurse: User
) -> None:
    first = submit(patient, URGENT)
    alert = alert_of(first)
    told = pages(alert)
    assert told >= 1
    second, third = submit(patient, URGENT), submit(patient, URGENT)
    assert alert_of(second) == alert_of(third) == alert
    assert Alert.objects.count() == 1
    assert pages(alert) == told  # not more severe: nobody paged again
    kinds = list(alert.events.values_list("kind", flat=True))
    assert kinds.count("new_report") == 2
    assert list(alert.reports.order_by("-submitted_at", "-id")) == [third, second, first]


def test_a_more_severe_report_raises_the_alert_and_tells_the_nurses_again(
    patient: Patient, nurse: User
) -> None:
    alert = alert_of(submit(patient, MONITOR))
    assert alert.level == "monitor" and pages(alert) == 0  # monitor waits for the digest
    due = alert.due_at
    submit(patient, EMERGENCY)
    alert.refresh_from_db()
    assert (alert.level, alert.raise_count) == ("emergency", 1)
    assert "cardiac" in alert.suspected_irae and "gastrointestinal" in alert.suspected_irae
    assert alert.due_at < due  # 15 minutes from now, not a day
    assert pages(alert) == 1  # the on-duty nurse, as for a new emergency
    raised = alert.events.get(kind="new_report")
    assert raised.note == "raised:emergency"


def test_a_raise_tells_the_nurse_who_claimed_it(
    patient: Patient, nurse: User, care_team: Any
) -> None:
    other = NurseFactory.create(care_teams=[care_team])  # on duty too
    alert = alert_of(submit(patient, URGENT))
    alert_acknowledge(alert=alert, nurse=nurse)
    before = set(Notification.objects.values_list("pk", flat=True))
    submit(patient, EMERGENCY)
    new = Notification.objects.exclude(pk__in=before)
    assert {row.recipient for row in new} == {nurse}
    assert other not in {row.recipient for row in new}


def test_a_report_not_more_severe_marks_new_information_for_the_claimant(
    client: Any, patient: Patient, nurse: User
) -> None:
    alert = alert_of(submit(patient, URGENT))
    alert_acknowledge(alert=alert, nurse=nurse)
    submit(patient, MONITOR)
    alert.refresh_from_db()
    assert alert.has_new_information and alert.level == "urgent"
    client.force_login(nurse)
    queue = client.get(reverse("triage_queue")).content.decode()
    assert "New information" in queue.split(f'data-alert-id="{alert.pk}"')[1].split("</tr>")[0]
    client.get(reverse("alert_detail", args=[alert.pk]))  # she opens it
    alert.refresh_from_db()
    assert not alert.has_new_information
    queue = client.get(reverse("triage_queue")).content.decode()
    assert "New information" not in queue


def test_a_resolved_alert_stays_resolved_and_the_next_report_opens_a_new_one(
    patient: Patient, nurse: User
) -> None:
    alert = alert_of(submit(patient, URGENT))
    alert_acknowledge(alert=alert, nurse=nurse)
    alert_record_outcome(alert=alert, nurse=nurse, outcome="self_care")
    alert_resolve(alert=alert, nurse=nurse)
    later = alert_of(submit(patient, MONITOR))
    assert later != alert
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.reports.count() == 1


def test_lab_panels_join_the_open_alert_too(patient: Patient, nurse: User) -> None:
    alert = alert_of(submit(patient, MONITOR))
    panel = lab_panel_record(
        patient=patient,
        collected_at=alert.created_at,
        results=[ResultInput("alt", "500", "U/L", uln="40")],
        source=LabPanel.Source.ENTERED,
        entered_by=nurse,
    )
    assert alert_of(panel) == alert
    alert.refresh_from_db()
    assert alert.level == "urgent" and "hepatic" in alert.suspected_irae
    assert alert.events.filter(kind=AlertEvent.Kind.NEW_LAB_RESULTS).exists()


def test_the_alert_page_lists_every_report_and_panel_newest_first(
    client: Any, patient: Patient, nurse: User
) -> None:
    first = submit(patient, URGENT)
    second = submit(patient, MONITOR)
    client.force_login(nurse)
    body = client.get(reverse("alert_detail", args=[alert_of(first).pk])).content.decode()
    assert body.index(f'data-report="{second.pk}"') < body.index(f'data-report="{first.pk}"')
    events = body.split('id="events"')[1].split("</ol>")[0]
    assert "New report" in events


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_the_same_moment_make_one_open_alert(settings: Any) -> None:
    """Real threads, each with its own connection: the patient's row lock (PostgreSQL) or the
    IMMEDIATE write lock (SQLite) decides, and the one-open-alert constraint stands behind."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    team = CareTeamFactory.create()
    NurseFactory.create(care_teams=[team])
    patient = PatientFactory.create(care_team=team)
    son, daughter = (
        CaregiverLinkFactory.create(patient=patient),
        CaregiverLinkFactory.create(patient=patient),
    )
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(by: Any) -> None:
        try:
            start.wait()
            submit(patient, URGENT, by=by)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(link.user,)) for link in (son, daughter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    alert = Alert.objects.get()
    assert alert.reports.count() == 2
    assert alert.events.filter(kind="new_report").count() == 1
