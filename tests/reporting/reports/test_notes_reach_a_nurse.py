"""Everything a family writes is read by a person: the note, and every free-text answer.

The engine never sees notes; the product rule (docs/clinical.md) opens a monitor alert for a
report whose note is not empty and that would open no alert of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from reporting.models import Alert, Digest, Notification, Report, User
from reporting.services import alert_acknowledge, digests_send, snooze_symptom
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import submit
from tests.reporting.reports.helpers import answers, form_data, post_report, text_of
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db

CONFUSED = "He has been confused since this morning."
SOMETHING_ELSE = [
    {"code": "other", "description": "Gums bleed <b>when</b> brushing", "severity": "mild"}
]


def test_a_note_with_no_symptom_opens_a_monitor_alert_saying_why(patient: Any) -> None:
    report = submit(patient, [], note=CONFUSED)
    assert report.level == "routine"  # the engine's grade is unchanged
    alert = alert_of(report)
    assert (alert.level, alert.source) == ("monitor", Alert.Source.FAMILY_NOTE)
    assert alert.status == Alert.Status.NEW


def test_a_note_with_only_routine_symptoms_opens_a_monitor_alert(patient: Any) -> None:
    report = submit(patient, [{"code": "nausea", "severity": "mild"}], note=CONFUSED)
    assert report.level == "routine"
    assert (alert_of(report).level, alert_of(report).source) == (
        "monitor",
        Alert.Source.FAMILY_NOTE,
    )


def test_a_blank_note_opens_nothing(patient: Any) -> None:
    report = submit(patient, [{"code": "nausea", "severity": "mild"}], note="   \n ")
    assert not Alert.objects.filter(reports=report).exists()


def test_a_note_on_a_snoozed_symptom_is_still_read(patient: Any, nurse: User) -> None:
    snooze_symptom(nurse=nurse, patient=patient, code="high_blood_pressure", days=7)
    quiet = submit(patient, [{"code": "high_blood_pressure", "systolic": 145, "diastolic": 85}])
    assert quiet.level == "monitor" and not Alert.objects.filter(reports=quiet).exists()
    with_note = submit(
        patient,
        [{"code": "high_blood_pressure", "systolic": 145, "diastolic": 85}],
        note="Headache too",
    )
    assert (alert_of(with_note).level, alert_of(with_note).source) == ("monitor", "family_note")


def test_a_report_that_alerts_anyway_keeps_its_own_level_and_source(patient: Any) -> None:
    report = submit(patient, [{"code": "diarrhea", "stools_over_baseline": 5}], note=CONFUSED)
    assert (alert_of(report).level, alert_of(report).source) == ("urgent", Alert.Source.REPORT)


def test_the_note_alert_is_counted_in_the_monitor_digest(care_team: Any) -> None:
    NurseFactory.create(care_teams=[care_team])  # on duty
    report = submit(PatientFactory.create(care_team=care_team), [], note=CONFUSED)
    assert digests_send() == 1
    digest = Digest.objects.get()
    assert list(digest.alerts.all()) == [alert_of(report)]
    # The digest says how many wait; never the note.
    notification = Notification.objects.get(digest=digest)
    assert notification.purpose == Notification.Purpose.DIGEST


def test_the_alert_page_gives_the_reason_and_the_note_in_full(
    client: Any, nurse: User, patient: Any
) -> None:
    long_note = "Line one <script>x</script>\n" + "word " * 350
    report = submit(patient, [], note=long_note.strip())
    client.force_login(nurse)
    body = client.get(reverse("alert_detail", args=[alert_of(report).pk])).content.decode()
    reasons = text_of(body.split('id="reasons"')[1].split("</ul>")[0])
    assert "The family wrote a note for the nurse" in reasons
    note = body.split('id="family-note"')[1].split("</blockquote>")[0]
    assert "&lt;script&gt;x&lt;/script&gt;" in note and "<script>x" not in body
    assert note.count("word") == 350  # in full, not cut


def test_the_family_is_told_a_nurse_will_read_the_note_today(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    response = post_report(client, patient.pk, form_data(note=CONFUSED))
    report = Report.objects.get()
    assert response.url == reverse("report_result", args=[report.pk])
    page = text_of(client.get(response.url).content.decode())
    assert "a nurse will read your note today" in page
    assert CONFUSED in page


def test_a_routine_report_without_note_still_says_nothing_is_needed(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    response = post_report(
        client, patient.pk, form_data("nausea", **answers("nausea", severity="mild"))
    )
    page = text_of(client.get(response.url).content.decode())
    assert "Nothing in it needs the nurse urgently" in page
    assert "read your note" not in page


# --- free text ("Something else") wherever the symptom is shown ----------------------------


@pytest.fixture
def something_else(patient: Any) -> Report:
    return submit(patient, SOMETHING_ELSE)


ESCAPED = "Gums bleed &lt;b&gt;when&lt;/b&gt; brushing"


def test_the_description_is_on_the_nurses_alert_page(
    client: Any, nurse: User, something_else: Report
) -> None:
    client.force_login(nurse)
    body = client.get(reverse("alert_detail", args=[alert_of(something_else).pk])).content.decode()
    symptoms = body.split('id="symptoms"')[1].split("</table>")[0]
    assert ESCAPED in symptoms and "<b>when</b>" not in body
    assert "What is happening?" in symptoms  # with its question


def test_the_description_is_on_the_nurses_patient_page(
    client: Any, nurse: User, patient: Any, something_else: Report
) -> None:
    client.force_login(nurse)
    body = client.get(reverse("nurse_patient", args=[patient.pk])).content.decode()
    assert ESCAPED in body.split('id="reports"')[1].split("</table>")[0]


def test_the_description_is_on_the_report_page_and_the_history(
    client: Any, family: User, patient: Any, something_else: Report
) -> None:
    client.force_login(family)
    result = client.get(reverse("report_result", args=[something_else.pk])).content.decode()
    assert ESCAPED in result.split('id="reported-symptoms"')[1].split("</ul>")[0]
    history = client.get(reverse("patient_history", args=[patient.pk])).content.decode()
    assert ESCAPED in history


def test_the_nurse_sees_every_answer_in_words(client: Any, nurse: User, patient: Any) -> None:
    report = submit(
        patient,
        [
            {"code": "fever", "temperature_c": 38.2, "chills": True},
            {"code": "itching", "severity": "moderate"},
        ],
    )
    client.force_login(nurse)
    body = client.get(
        reverse("alert_detail", args=[alert_of(report).pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    symptoms = text_of(body.split('id="symptoms"')[1].split("</table>")[0])
    assert "38,2" in symptoms  # in the reader's number format
    assert "có" in symptoms  # chills: yes


def test_another_teams_nurse_cannot_read_the_note(client: Any, patient: Any) -> None:
    report = submit(patient, [], note=CONFUSED)
    client.force_login(NurseFactory.create(care_teams=[CareTeamFactory.create()]))
    response = client.get(reverse("alert_detail", args=[alert_of(report).pk]))
    assert response.status_code == 404
    assert CONFUSED not in response.content.decode()


def test_acknowledging_a_note_alert_is_what_the_family_then_sees(
    client: Any, family: User, nurse: User, patient: Any
) -> None:
    report = submit(patient, [], note=CONFUSED, ago=dt.timedelta(minutes=5))
    alert_acknowledge(alert=alert_of(report), nurse=nurse)
    client.force_login(family)
    page = text_of(client.get(reverse("report_result", args=[report.pk])).content.decode())
    assert f"Nurse {nurse.get_full_name()} has seen this report" in page
    assert "will read your note today" not in page


# --- a note alone is a note, never "feeling well" ------------------------------------------


def test_a_note_alone_is_not_shown_as_feeling_well_anywhere(
    client: Any, family: User, nurse: User, patient: Any
) -> None:
    report = submit(patient, [], note=CONFUSED)
    client.force_login(family)
    result = text_of(client.get(reverse("report_result", args=[report.pk])).content.decode())
    assert "You sent a note to the nurse, with no symptom ticked." in result
    assert "feel well" not in result
    # Confusion is one of the signs to call the emergency number for: the box says so.
    assert "new confusion" in result and "call the emergency number 115 now" in result
    history = text_of(client.get(reverse("patient_history", args=[patient.pk])).content.decode())
    assert "None: a note to the nurse" in history and "feeling well" not in history
    client.force_login(nurse)
    record = client.get(reverse("nurse_patient", args=[patient.pk])).content.decode()
    assert "No symptom: a note" in record.split('id="reports"')[1].split("</table>")[0]
    queue = client.get(reverse("triage_queue")).content.decode()
    row = queue.split(f'data-alert-id="{alert_of(report).pk}"')[1].split("</tr>")[0]
    assert "Note from the family" in row


def test_on_the_note_alerts_page_the_note_comes_first(
    client: Any, nurse: User, patient: Any
) -> None:
    report = submit(patient, [{"code": "nausea", "severity": "mild"}], note=CONFUSED)
    client.force_login(nurse)
    body = client.get(reverse("alert_detail", args=[alert_of(report).pk])).content.decode()
    assert body.index('id="note-first"') < body.index('id="symptoms"')
    assert CONFUSED in body.split('id="note-first"')[1].split("</section>")[0]
