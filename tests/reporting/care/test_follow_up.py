"""Follow-up of active symptoms (docs/clinical.md, "Follow-up"): after a report with a symptom
at monitor or above, the family is asked each morning how the patient is, until a report shows
every such symptom lower, the nurse resolves the alert, or seven days pass."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import CaregiverLink, FollowUp, Notification, Patient, User
from reporting.services import alert_acknowledge, alert_record_outcome, alert_resolve
from reporting.services.care import follow_ups_ask_due
from tests.reporting.care.conftest import at
from tests.reporting.dashboard.factories import SYMPTOMS, submit
from tests.support.alerts import alert_of

pytestmark = pytest.mark.django_db

GRADE_2_DIARRHOEA = SYMPTOMS["urgent"]  # 5 stools over baseline: grade 2, urgent
GRADE_1_DIARRHOEA = SYMPTOMS["monitor"]  # 2 over baseline: grade 1, monitor


def questions() -> list[Notification]:
    return list(Notification.objects.filter(purpose=Notification.Purpose.FOLLOW_UP))


def ask(clock: Any, day: int, hour: int = 8, minute: int = 30) -> int:
    clock(at(day, hour, minute))
    return follow_ups_ask_due()


def report(clock: Any, patient: Patient, family: User, symptoms: Any, day: int, hour: int = 15):
    clock(at(day, hour))
    return submit(patient, symptoms, by=family)


def test_a_monitor_symptom_is_followed_up_the_next_morning_not_before(
    clock: Any, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_1_DIARRHOEA, day=10)
    assert ask(clock, 10, 20) == 0  # the same evening: not yet
    assert ask(clock, 11, 7, 59) == 0  # before IMMUNOWATCH_FOLLOW_UP_HOUR
    assert ask(clock, 11, 8, 0) == 1
    [question] = questions()
    assert question.recipient == family
    assert question.channel == Notification.Channel.EMAIL
    assert question.caregiver_link == CaregiverLink.objects.get(user=family)


def test_asked_once_a_day_whatever_the_number_of_runs(
    clock: Any, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_1_DIARRHOEA, day=10)
    assert ask(clock, 11, 8) == 1
    assert ask(clock, 11, 9) == 0
    assert ask(clock, 11, 18) == 0
    assert ask(clock, 12, 8) == 1
    assert len(questions()) == 2


def test_no_question_on_a_day_the_family_already_reported(
    clock: Any, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=10)
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=11, hour=7)  # the same, early
    assert ask(clock, 11, 9) == 0
    assert ask(clock, 12, 9) == 1


def test_a_report_with_the_symptom_lower_stops_the_follow_up(
    clock: Any, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=10)
    assert ask(clock, 11) == 1
    report(clock, patient, family, GRADE_1_DIARRHOEA, day=11, hour=10)
    follow_up = FollowUp.objects.get()
    assert follow_up.stop_reason == FollowUp.Stop.BETTER
    assert follow_up.stopped_at == at(11, 10)
    assert ask(clock, 12) == 0


def test_a_report_with_the_symptom_gone_stops_it_too(
    clock: Any, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_1_DIARRHOEA, day=10)
    report(clock, patient, family, SYMPTOMS["routine"], day=11, hour=10)  # "I feel well"
    assert FollowUp.objects.get().stop_reason == FollowUp.Stop.BETTER


def test_the_same_grade_again_keeps_asking(clock: Any, patient: Patient, family: User) -> None:
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=10)
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=11, hour=10)
    assert FollowUp.objects.get().stopped_at is None
    assert ask(clock, 12) == 1


def test_every_followed_symptom_must_be_lower(clock: Any, patient: Patient, family: User) -> None:
    both = [*GRADE_2_DIARRHOEA, {"code": "high_blood_pressure", "systolic": 145, "diastolic": 85}]
    report(clock, patient, family, both, day=10)
    report(clock, patient, family, both[1:], day=11, hour=10)  # diarrhoea gone, pressure not
    follow_up = FollowUp.objects.get()
    assert follow_up.stopped_at is None
    assert list(follow_up.symptoms) == ["high_blood_pressure"]


def test_a_new_active_symptom_joins_the_follow_up_and_extends_it(
    clock: Any, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_1_DIARRHOEA, day=10)
    pressure = [{"code": "high_blood_pressure", "systolic": 145, "diastolic": 85}]
    report(clock, patient, family, GRADE_1_DIARRHOEA + pressure, day=13)
    follow_up = FollowUp.objects.get()
    assert set(follow_up.symptoms) == {"diarrhea", "high_blood_pressure"}
    assert follow_up.ends_at == at(20)  # seven days from the new symptom


def test_resolving_the_alert_stops_the_follow_up(
    clock: Any, patient: Patient, family: User, nurse: User
) -> None:
    alert = alert_of(report(clock, patient, family, GRADE_2_DIARRHOEA, day=10))
    clock(at(10, 16))
    alert_acknowledge(alert=alert, nurse=nurse)
    alert_record_outcome(alert=alert, nurse=nurse, outcome="self_care")
    alert_resolve(alert=alert, nurse=nurse)
    assert FollowUp.objects.get().stop_reason == FollowUp.Stop.RESOLVED
    assert ask(clock, 11) == 0


def test_seven_days_then_it_stops(clock: Any, patient: Patient, family: User) -> None:
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=10)
    asked = [ask(clock, day) for day in range(11, 19)]
    assert asked == [1, 1, 1, 1, 1, 1, 1, 0]  # the 11th to the 17th; the 18th is too late
    assert FollowUp.objects.get().stop_reason == FollowUp.Stop.EXPIRED


def test_a_routine_report_starts_no_follow_up(clock: Any, patient: Patient, family: User) -> None:
    report(clock, patient, family, SYMPTOMS["routine"], day=10)
    assert not FollowUp.objects.exists()
    assert ask(clock, 11) == 0


def test_the_question_goes_by_text_message_when_that_is_their_channel(
    clock: Any, patient: Patient, family: User
) -> None:
    CaregiverLink.objects.filter(user=family).update(
        reminder_channel=CaregiverLink.ReminderChannel.SMS, phone="+84901234567"
    )
    report(clock, patient, family, GRADE_1_DIARRHOEA, day=10)
    ask(clock, 11)
    [question] = questions()
    assert (question.channel, question.address) == (Notification.Channel.SMS, "+84901234567")


def test_a_better_follow_up_joins_the_open_alert_and_pages_nobody(
    clock: Any, patient: Patient, family: User
) -> None:
    alert = alert_of(report(clock, patient, family, GRADE_2_DIARRHOEA, day=10))
    to_nurses = Notification.objects.exclude(purpose=Notification.Purpose.FOLLOW_UP).count()
    better = report(clock, patient, family, GRADE_1_DIARRHOEA, day=11, hour=10)
    assert better.alert == alert
    alert.refresh_from_db()
    assert alert.level == "urgent" and alert.reports.count() == 2
    assert Notification.objects.exclude(purpose=Notification.Purpose.FOLLOW_UP).count() == (
        to_nurses
    )


def test_the_form_opens_with_the_followed_symptoms_ticked(
    clock: Any, client: Client, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=10)
    clock(at(11, 9))
    client.force_login(family)
    url = reverse("report_new") + f"?patient={patient.pk}&follow_up=1"
    response = client.get(url, follow=True)
    body = response.content.decode()
    assert "follow_up=1" in response.redirect_chain[0][0]  # the key's address keeps it
    assert "You told us about these yesterday." in body
    assert _ticked(body) == ["diarrhea"]
    # The same form without the follow-up's link opens empty.
    plain = client.get(reverse("report_new") + f"?patient={patient.pk}", follow=True)
    assert _ticked(plain.content.decode()) == []
    assert "You told us about these" not in plain.content.decode()


def test_days_later_it_says_recently(
    clock: Any, client: Client, patient: Patient, family: User
) -> None:
    report(clock, patient, family, GRADE_2_DIARRHOEA, day=10)
    clock(at(13, 9))
    client.force_login(family)
    body = client.get(
        reverse("report_new") + f"?patient={patient.pk}&follow_up=1", follow=True
    ).content.decode()
    assert "You told us about these recently." in body


def _ticked(body: str) -> list[str]:
    boxes = re.findall(r'<input[^>]*name="symptoms"[^>]*>', body)
    return [re.search(r'value="([^"]+)"', box)[1] for box in boxes if " checked" in box]  # type: ignore[index]
