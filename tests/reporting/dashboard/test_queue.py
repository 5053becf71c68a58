"""The alert queue: most dangerous first, then longest waiting; filters; refresh fragment."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert, Infusion, Notification, User
from reporting.services import alert_acknowledge, alert_record_outcome, alert_resolve
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db

MINUTES = dt.timedelta(minutes=1)


def alert_ids(response: Any) -> list[int]:
    """Alert ids in the order the queue lists them."""
    return [int(pk) for pk in re.findall(r'data-alert-id="(\d+)"', response.content.decode())]


def queue(client: Any, **params: str) -> Any:
    response = client.get(reverse("triage_queue"), params)
    assert response.status_code == 200
    return response


def test_most_dangerous_first_then_longest_waiting(nurse_client: Any, care_team: Any) -> None:
    patients = PatientFactory.create_batch(5, care_team=care_team)
    monitor_old = raise_alert(patients[0], "monitor", ago=300 * MINUTES)
    urgent_recent = raise_alert(patients[1], "urgent", ago=5 * MINUTES)
    emergency = raise_alert(patients[2], "emergency", ago=1 * MINUTES)
    urgent_old = raise_alert(patients[3], "urgent", ago=30 * MINUTES)
    monitor_recent = raise_alert(patients[4], "monitor", ago=2 * MINUTES)

    assert alert_ids(queue(nurse_client)) == [
        emergency.pk,
        urgent_old.pk,
        urgent_recent.pk,
        monitor_old.pk,
        monitor_recent.pk,
    ]


def test_default_shows_open_alerts_and_hides_resolved(
    nurse_client: Any, nurse: User, care_team: Any
) -> None:
    new = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    acknowledged = alert_acknowledge(
        alert=raise_alert(PatientFactory.create(care_team=care_team), "urgent"), nurse=nurse
    )
    done = alert_acknowledge(
        alert=raise_alert(PatientFactory.create(care_team=care_team), "urgent"), nurse=nurse
    )
    alert_record_outcome(alert=done, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    alert_resolve(alert=done, nurse=nurse)

    assert set(alert_ids(queue(nurse_client))) == {new.pk, acknowledged.pk}
    assert alert_ids(queue(nurse_client, status="new")) == [new.pk]
    assert alert_ids(queue(nurse_client, status="acknowledged")) == [acknowledged.pk]
    assert alert_ids(queue(nurse_client, status="resolved")) == [done.pk]
    assert set(alert_ids(queue(nurse_client, status="all"))) == {new.pk, acknowledged.pk, done.pk}


def test_filter_by_level(nurse_client: Any, care_team: Any) -> None:
    urgent = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    raise_alert(PatientFactory.create(care_team=care_team), "monitor")
    raise_alert(PatientFactory.create(care_team=care_team), "emergency")

    assert alert_ids(queue(nurse_client, level="urgent")) == [urgent.pk]


def test_filter_by_care_team_for_a_nurse_in_two_teams(client: Any, care_team: Any) -> None:
    second_team = CareTeamFactory.create()
    nurse = NurseFactory.create(care_teams=[care_team, second_team])
    first = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    second = raise_alert(PatientFactory.create(care_team=second_team), "urgent", ago=MINUTES)
    client.force_login(nurse)

    assert alert_ids(queue(client)) == [second.pk, first.pk]
    assert alert_ids(queue(client, care_team=str(care_team.pk))) == [first.pk]
    page = queue(client, care_team=str(second_team.pk))
    assert alert_ids(page) == [second.pk]
    assert second_team.name in page.content.decode()


def test_another_teams_alerts_never_appear_even_when_asked_for(
    nurse_client: Any, care_team: Any, other_team_patient: Any
) -> None:
    mine = raise_alert(PatientFactory.create(care_team=care_team), "monitor")
    theirs = raise_alert(other_team_patient, "emergency")

    assert alert_ids(queue(nurse_client)) == [mine.pk]
    # Naming the other team in the filter is not a way in: the choice is refused.
    page = queue(nurse_client, care_team=str(other_team_patient.care_team_id))
    assert alert_ids(page) == [mine.pk]
    assert other_team_patient.full_name not in page.content.decode()
    assert theirs.pk not in alert_ids(queue(nurse_client, status="all"))


def test_nonsense_filters_fall_back_to_the_open_queue(nurse_client: Any, care_team: Any) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    assert alert_ids(queue(nurse_client, status="bogus", level="<b>", page="x")) == [alert.pk]


def test_rows_show_level_irae_patient_wait_status_and_claimant(
    nurse_client: Any, nurse: User, care_team: Any
) -> None:
    patient = PatientFactory.create(care_team=care_team, full_name="Phạm Văn Đức")
    alert = raise_alert(patient, "urgent", ago=20 * MINUTES)
    alert_acknowledge(alert=alert, nurse=nurse)

    row = _row(queue(nurse_client), alert.pk)
    assert "Urgent" in row
    assert "Gastrointestinal" in row
    assert "Phạm Văn Đức" in row and patient.hospital_number in row
    assert "20 min" in row and "1 h 00 min" in row  # waited until acknowledged / target
    assert "Acknowledged" in row
    assert nurse.get_full_name() in row


def test_overdue_rows_stand_out_in_words_not_only_colour(nurse_client: Any, care_team: Any) -> None:
    late = raise_alert(PatientFactory.create(care_team=care_team), "urgent", ago=90 * MINUTES)
    in_time = raise_alert(PatientFactory.create(care_team=care_team), "urgent", ago=10 * MINUTES)
    page = queue(nurse_client)

    late_row, on_time_row = _row(page, late.pk), _row(page, in_time.pk)
    assert "OVERDUE" in late_row and "queue-overdue" in late_row
    assert "1 h 30 min" in late_row
    assert "OVERDUE" not in on_time_row and "queue-overdue" not in on_time_row


def test_fragment_is_only_the_region_and_marked_for_the_script(
    nurse_client: Any, care_team: Any
) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    response = queue(nurse_client, fragment="1", level="urgent")

    assert response["X-Queue-Fragment"] == "1"
    body = response.content.decode()
    assert alert_ids(response) == [alert.pk]
    assert "<html" not in body and "<form" not in body
    assert "no-cache" in response["Cache-Control"]


def test_full_page_loads_the_refresh_script_and_keeps_the_filters_in_page_links(
    nurse_client: Any, care_team: Any
) -> None:
    for patient in PatientFactory.create_batch(51, care_team=care_team):
        raise_alert(patient, "monitor")
    page = queue(nurse_client, level="monitor")
    body = page.content.decode()

    assert "js/triage_queue.js" in body
    assert 'data-refresh-seconds="20"' in body
    assert "?level=monitor&amp;page=2" in body
    assert len(alert_ids(page)) == 50
    second = queue(nurse_client, level="monitor", page="2", fragment="1")
    assert len(alert_ids(second)) == 1
    assert "fragment" not in second.content.decode()


def test_failed_notifications_show_as_a_warning_banner(
    nurse_client: Any, care_team: Any, other_team_patient: Any
) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    theirs = raise_alert(other_team_patient, "urgent")
    assert Notification.objects.filter(alert=alert).exists()
    Notification.objects.filter(alert__in=[alert, theirs]).update(
        status=Notification.Status.FAILED, failed_at=timezone.now()
    )
    body = queue(nurse_client).content.decode()

    assert "Some notifications could not be delivered" in body
    assert reverse("alert_detail", args=[alert.pk]) in body
    assert reverse("alert_detail", args=[theirs.pk]) not in body


def test_no_banner_when_notifications_were_delivered(nurse_client: Any, care_team: Any) -> None:
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    assert "could not be delivered" not in queue(nurse_client).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_queue_query_count_does_not_grow_with_alerts(
    client: Any, care_team: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    second_team = CareTeamFactory.create()
    nurse = NurseFactory.create(care_teams=[care_team, second_team])
    for index in range(count):
        patient = PatientFactory.create(care_team=care_team if index % 2 else second_team)
        for cycle in (1, 2):  # every row shows its cycle day: one query for all of them
            Infusion.objects.create(
                patient=patient,
                given_on=dt.date(2026, 1, 1) + dt.timedelta(days=21 * (cycle - 1)),
                drugs=["atezolizumab"],
                cycle_number=cycle,
            )
        alert = raise_alert(patient, ("monitor", "urgent", "emergency")[index % 3])
        if index % 4 == 0:
            alert_acknowledge(alert=alert, nurse=nurse)
    client.force_login(nurse)

    # session, user, groups, teams, count, page, failed notifications, infusions: the same
    # for 3 or 30.
    # 9: the queue and the staff sign-in's two-factor device.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("triage_queue"))
    assert len(alert_ids(response)) == count
    assert response.content.decode().count('class="cycle text-nowrap">cycle 2, day') == count


def test_queue_is_served_in_vietnamese(client: Any, nurse: User, care_team: Any) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    client.force_login(nurse)
    response = client.get(reverse("triage_queue"), HTTP_ACCEPT_LANGUAGE="vi")
    assert 'lang="vi"' in response.content.decode()
    assert "Khẩn" in _row(response, alert.pk)  # "Urgent"


def _row(response: Any, alert_id: int) -> str:
    body = response.content.decode()
    match = re.search(rf'<tr[^>]*data-alert-id="{alert_id}".*?</tr>', body, re.S)
    assert match, f"alert {alert_id} is not in the queue"
    return match.group(0)


def test_each_row_counts_its_cycle_day_from_the_local_day_it_was_raised(
    nurse_client: Any, care_team: Any
) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    before, on_the_day, later = (PatientFactory.create(care_team=care_team) for _ in range(3))
    for patient, given_on in ((on_the_day, today), (later, today - dt.timedelta(days=30))):
        Infusion.objects.create(
            patient=patient, given_on=given_on, drugs=["atezolizumab"], cycle_number=2
        )
    Infusion.objects.create(
        patient=later,
        given_on=today - dt.timedelta(days=9),
        drugs=["atezolizumab"],
        cycle_number=3,
    )
    # An infusion after the alert's day does not count: the day it was raised does.
    Infusion.objects.create(
        patient=before, given_on=today + dt.timedelta(days=1), drugs=[], cycle_number=1
    )
    alerts = {patient: raise_alert(patient, "urgent") for patient in (before, on_the_day, later)}
    response = queue(nurse_client)
    assert "cycle" not in _row(response, alerts[before].pk)
    assert "cycle 2, day 1<" in _row(response, alerts[on_the_day].pk)
    assert "cycle 3, day 10<" in _row(response, alerts[later].pk)


def test_the_cycle_day_is_the_wards_local_day_not_utcs(nurse_client: Any, care_team: Any) -> None:
    # 03:00 in Hanoi is 20:00 UTC the day before: the infusion of that local day counts.
    local_now = timezone.localtime()
    moment = local_now.replace(hour=3, minute=0, second=0, microsecond=0)
    if moment > local_now:
        moment -= dt.timedelta(days=1)
    patient = PatientFactory.create(care_team=care_team)
    Infusion.objects.create(
        patient=patient, given_on=moment.date(), drugs=["atezolizumab"], cycle_number=1
    )
    alert = raise_alert(patient, "urgent", ago=timezone.now() - moment)
    assert alert.created_at.astimezone(dt.UTC).date() != moment.date()
    assert "cycle 1, day 1<" in _row(queue(nurse_client), alert.pk)
