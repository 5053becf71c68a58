"""The missed check-in call log: "Called, no answer" / "Called, all well" with who and when,
from the missed check-ins list and the patient page; only the patient's care team records one,
and a refused call stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.models import CheckinCall, User
from reporting.selectors import missed_checkins
from reporting.services.checkins import CheckinCallError, checkin_call_record
from tests.factories import CaregiverLinkFactory, PatientFactory, UserFactory
from tests.reporting.dashboard.factories import SYMPTOMS, submit

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
MISSED = "/triage/missed/"


def quiet_patient(care_team: Any, ago: dt.timedelta = 30 * DAY, **fields: Any) -> Any:
    """A patient enrolled `ago` who never reported: on the missed list."""
    return PatientFactory.create(care_team=care_team, created_at=timezone.now() - ago, **fields)


def post_call(client: Client, patient: Any, outcome: str, **data: str) -> Any:
    return client.post(
        reverse("checkin_call_create", args=[patient.pk]), {"outcome": outcome, **data}
    )


def called(patient: Any, outcome: str, nurse: User, ago: dt.timedelta, note: str = "") -> Any:
    return CheckinCall.objects.create(
        patient=patient,
        outcome=outcome,
        note=note,
        called_by=nurse,
        called_at=timezone.now() - ago,
    )


def missed_table(client: Client) -> str:
    response = client.get(reverse("missed_checkins"))
    assert response.status_code == 200
    return response.content.decode().split('id="missed"')[1].split("</table>")[0]


# --- recording a call ------------------------------------------------------------------------


def test_no_answer_from_the_list_is_recorded_shown_and_keeps_the_patient_on_it(
    nurse_client: Client, nurse: User, care_team: Any
) -> None:
    patient = quiet_patient(care_team, full_name="Trần Văn Quiet")
    response = post_call(nurse_client, patient, "no_answer", next=MISSED)
    assert (response.status_code, response["Location"]) == (302, MISSED)
    call = CheckinCall.objects.get()
    assert (call.patient, call.outcome, call.called_by, call.note) == (
        patient,
        "no_answer",
        nurse,
        "",
    )
    assert call.history.get().history_user == nurse  # in the change history, with who
    page = nurse_client.get(MISSED).content.decode()
    assert "Call recorded for Trần Văn Quiet: no answer." in page
    table = missed_table(nurse_client)
    assert "Trần Văn Quiet" in table
    row = table.split("Trần Văn Quiet")[1]
    assert "Called, no answer" in row
    assert nurse.get_full_name() in row


def test_all_well_takes_the_patient_off_the_list_until_a_week_without_news(
    nurse_client: Client, nurse: User, care_team: Any
) -> None:
    patient = quiet_patient(care_team, full_name="Lê Thị Well")
    response = post_call(nurse_client, patient, "all_well", next=MISSED)
    assert response.status_code == 302
    assert CheckinCall.objects.get().outcome == "all_well"
    page = nurse_client.get(MISSED).content.decode()
    assert "Call recorded for Lê Thị Well: all well." in page
    assert "Lê Thị Well" not in missed_table(nurse_client)
    # Eight days on with no report and no call, she is back, with that call on her row.
    later = timezone.now() + 8 * DAY
    assert list(missed_checkins(nurse, now=later)) == [patient]
    assert list(missed_checkins(nurse, now=timezone.now() + 6 * DAY)) == []


def test_only_all_well_restarts_the_clock_not_a_later_no_answer(
    nurse: User, care_team: Any
) -> None:
    reported = quiet_patient(care_team, 60 * DAY)
    submit(reported, SYMPTOMS["routine"], ago=20 * DAY)
    called(reported, "all_well", nurse, ago=3 * DAY)
    no_answer_only = quiet_patient(care_team, 60 * DAY)
    called(no_answer_only, "no_answer", nurse, ago=1 * DAY)
    well_then_no_answer = quiet_patient(care_team, 60 * DAY)
    called(well_then_no_answer, "all_well", nurse, ago=10 * DAY)
    called(well_then_no_answer, "no_answer", nurse, ago=1 * DAY)

    listed: list[Any] = list(missed_checkins(nurse))  # annotated with latest_calls
    assert reported not in listed
    # Quietest first: all well 10 days ago is less quiet than never heard of in 60 days.
    assert listed == [no_answer_only, well_then_no_answer]
    latest = listed[1].latest_calls
    assert [c.outcome for c in latest] == ["no_answer"]  # the latest call is the one shown


def test_the_patient_page_records_a_call_with_a_note_and_shows_the_log_latest_first(
    nurse_client: Client, nurse: User, other_nurse: User, patient: Any
) -> None:
    called(patient, "no_answer", other_nurse, ago=2 * DAY, note="Rang twice.")
    page_url = reverse("nurse_patient", args=[patient.pk])
    response = post_call(nurse_client, patient, "all_well", next=page_url, note="  Son says fine. ")
    assert response["Location"] == page_url
    assert CheckinCall.objects.filter(patient=patient).count() == 2
    body = nurse_client.get(page_url).content.decode()
    log = body.split('id="checkin-calls"')[1].split("</ul>")[0]
    assert log.index("Son says fine.") < log.index("Rang twice.")  # latest first
    assert log.index("Called, all well") < log.index("Called, no answer")
    assert nurse.get_full_name() in log and "Lan Đỗ" in log
    form = body.split('class="checkin-call-form')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" in form and 'name="note"' in form
    assert 'value="no_answer"' in form and 'value="all_well"' in form


def test_without_a_next_page_or_with_another_sites_it_goes_back_to_the_patient_page(
    nurse_client: Client, patient: Any
) -> None:
    page_url = reverse("nurse_patient", args=[patient.pk])
    assert post_call(nurse_client, patient, "no_answer")["Location"] == page_url
    response = post_call(nurse_client, patient, "no_answer", next="https://evil.example/")
    assert response["Location"] == page_url


# --- refusals: nothing stored -----------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["", "maybe", "NO_ANSWER"])
def test_a_bad_outcome_is_said_plainly_and_stores_nothing(
    nurse_client: Client, patient: Any, outcome: str
) -> None:
    response = post_call(nurse_client, patient, outcome, next=MISSED)
    assert response.status_code == 302
    assert not CheckinCall.objects.exists()
    page = nurse_client.get(MISSED).content.decode()
    assert "Choose what came of the call: “Called, no answer” or “Called, all well”." in page


def test_a_note_too_long_is_refused_and_stores_nothing(nurse_client: Client, patient: Any) -> None:
    post_call(nurse_client, patient, "no_answer", note="x" * 301)
    assert not CheckinCall.objects.exists()
    page = nurse_client.get(reverse("nurse_patient", args=[patient.pk])).content.decode()
    assert "Keep the call note to 300 characters." in page


def test_a_nurse_of_another_team_gets_404_and_nothing_is_stored(
    client: Client, outsider: User, patient: Any
) -> None:
    client.force_login(outsider)
    assert post_call(client, patient, "no_answer").status_code == 404
    assert post_call(client, patient, "all_well").status_code == 404
    assert not CheckinCall.objects.exists()


def test_a_family_member_an_admin_and_the_anonymous_cannot_post(
    client: Client, family: User, patient: Any
) -> None:
    assert post_call(client, patient, "all_well").status_code == 302  # to the log-in
    client.force_login(family)  # the patient's own family: still not theirs to record
    assert post_call(client, patient, "all_well").status_code == 403
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    assert post_call(client, patient, "all_well").status_code == 403
    assert not CheckinCall.objects.exists()


def test_the_post_needs_the_csrf_token(nurse: User, patient: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    assert post_call(client, patient, "no_answer").status_code == 403
    assert not CheckinCall.objects.exists()


def test_the_service_checks_the_care_team_and_the_outcome_itself(
    outsider: User, nurse: User, patient: Any
) -> None:
    with pytest.raises(PermissionDenied):
        checkin_call_record(nurse=outsider, patient=patient, outcome="no_answer")
    with pytest.raises(CheckinCallError):
        checkin_call_record(nurse=nurse, patient=patient, outcome="talked")
    assert not CheckinCall.objects.exists()
    call = checkin_call_record(nurse=nurse, patient=patient, outcome="all_well", note=" ok ")
    assert (call.outcome, call.note, call.called_by) == ("all_well", "ok", nurse)


# --- no N+1 -----------------------------------------------------------------------------------


def _list_queries(client: Client, nurse: User, care_team: Any, count: int) -> int:
    for index in range(count):
        patient = quiet_patient(care_team)
        CaregiverLinkFactory.create(patient=patient)
        called(patient, "no_answer", nurse, ago=3 * DAY)
        called(patient, "all_well" if index % 2 else "no_answer", nurse, ago=9 * DAY)
    client.force_login(nurse)
    with CaptureQueriesContext(connection) as queries:
        table = missed_table(client)
    assert table.count("<tr>") == count + 1  # header row too
    assert table.count("Called, no answer</span>") == count  # each row's latest call
    return len(queries)


def test_the_list_with_calls_takes_the_same_queries_for_3_or_30_patients(
    client: Client, nurse: User, care_team: Any
) -> None:
    few = _list_queries(client, nurse, care_team, 3)
    CheckinCall.objects.all().delete()
    for patient in care_team.patients.all():
        patient.delete()
    assert _list_queries(client, nurse, care_team, 30) == few


def test_in_vietnamese_the_call_says_how_long_ago_in_vietnamese(
    client: Client, nurse: User, care_team: Any
) -> None:
    patient = quiet_patient(care_team)
    called(patient, "no_answer", nurse, ago=3 * DAY + dt.timedelta(hours=1, minutes=30))
    client.force_login(nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    row = missed_table(client).split(patient.full_name)[1]
    assert "Đã gọi, không ai nghe máy" in row
    assert "(3 ngày 1 giờ trước)" in row  # not Django's English "3 days, 1 hour"
