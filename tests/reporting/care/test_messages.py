"""The follow-up question and the check-in before a treatment carry no health detail: the
patient's given name (the family knows whom it is about), a link to the form, and the safety
sentence with the emergency and 24-hour numbers, in the person's language, by e-mail or SMS."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from reporting.models import CaregiverLink, Notification, Patient, User
from reporting.notifications import render_message
from reporting.services.care import check_ins_before_infusions, follow_ups_ask_due
from tests.reporting.care.conftest import at
from tests.reporting.dashboard.factories import submit
from tests.support.privacy import health_words, leaks

pytestmark = pytest.mark.django_db

NOTE = "Bloody stools since Tuesday, very tired"
PRESSURE = [{"code": "high_blood_pressure", "systolic": 165, "diastolic": 95}]


@pytest.mark.parametrize("channel", ["email", "sms"])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_follow_up_and_check_in_messages_carry_no_health_detail(
    clock: Any, patient: Patient, family: User, channel: str, language: str
) -> None:
    Patient.objects.filter(pk=patient.pk).update(full_name="Nguyễn Văn An")
    patient.refresh_from_db()
    CaregiverLink.objects.filter(user=family).update(reminder_channel=channel, phone="+84901234567")
    family.language = language
    family.save()
    clock(at(10))
    submit(patient, PRESSURE, by=family, note=NOTE)
    Patient.objects.filter(pk=patient.pk).update(next_infusion_on=at(13).date())
    clock(at(11, 9))
    assert follow_ups_ask_due() == 1
    assert check_ins_before_infusions() == 1

    rows = Notification.objects.filter(purpose__in=["follow_up", "check_in"])
    assert {row.purpose for row in rows} == {"follow_up", "check_in"}
    for row in rows:
        assert row.channel == channel
        message = render_message(row)
        text = "\n".join([message.subject, message.body, message.short_text])
        assert leaks(text, health_words(patient, NOTE)) == [], (row.purpose, text)
        assert f"?patient={patient.pk}" in message.link
        assert message.link in (message.short_text if channel == "sms" else message.body)
        assert settings.IMMUNOWATCH_EMERGENCY_NUMBER in message.short_text
        if channel == "email":
            assert settings.IMMUNOWATCH_EMERGENCY_NUMBER in message.body
            assert settings.IMMUNOWATCH_HOTLINE in message.body
        if row.purpose == "follow_up":
            assert "An" in text  # "Please tell us how An is today"
            assert "follow_up=1" in message.link
