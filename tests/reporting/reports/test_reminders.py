"""Weekly check-in reminders: once per 7 days per linked person, with no health details."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from config.celery import app
from reporting import services
from reporting.channels.sms import LocmemSmsBackend
from reporting.models import CaregiverLink, Notification, User
from reporting.notifications import messages as notification_messages
from reporting.services import reminders
from reporting.tasks.reminders import send_checkin_reminders
from tests.factories import CaregiverLinkFactory, FamilyUserFactory
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def quiet_link(family: User, patient: Any) -> CaregiverLink:
    """The family member's link, made 30 days ago; the patient has never reported."""
    link = CaregiverLink.objects.get(user=family, patient=patient)
    CaregiverLink.objects.filter(pk=link.pk).update(created_at=NOW - dt.timedelta(days=30))
    return link


def report(patient: Any, user: User, days_ago: float) -> None:
    services.report_submit(
        patient=patient,
        reported_by=user,
        reporter_role="family",
        reporter_relationship="child",
        symptoms=[],
        submitted_at=NOW - dt.timedelta(days=days_ago),
    )


def test_a_quiet_patients_family_is_reminded_once_not_twice_in_7_days(
    quiet_link: CaregiverLink, family: User
) -> None:
    assert services.reminders_send_due(NOW) == 1
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[family.email]]
    assert services.reminders_send_due(NOW + dt.timedelta(hours=1)) == 0
    assert services.reminders_send_due(NOW + dt.timedelta(days=6, hours=23)) == 0
    deliver_outbox()
    assert len(mail.outbox) == 1
    quiet_link.refresh_from_db()
    assert quiet_link.last_reminded_at == NOW
    # A week later, still no report: one more.
    assert services.reminders_send_due(NOW + dt.timedelta(days=7)) == 1
    deliver_outbox()
    assert len(mail.outbox) == 2


def test_a_report_in_the_last_7_days_means_no_reminder(
    quiet_link: CaregiverLink, family: User, patient: Any
) -> None:
    report(patient, family, days_ago=6.9)
    assert services.reminders_send_due(NOW) == 0
    assert mail.outbox == []


def test_an_older_report_does_not_stop_the_reminder(
    quiet_link: CaregiverLink, family: User, patient: Any
) -> None:
    report(patient, family, days_ago=8)
    assert services.reminders_send_due(NOW) == 1


def test_a_report_by_anyone_for_the_patient_counts(
    quiet_link: CaregiverLink, patient: Any, nurse: User
) -> None:
    services.report_submit(
        patient=patient,
        reported_by=nurse,
        reporter_role="nurse",
        symptoms=[],
        submitted_at=NOW - dt.timedelta(days=1),
    )
    assert services.reminders_send_due(NOW) == 0


def test_every_linked_person_is_reminded(quiet_link: CaregiverLink, patient: Any) -> None:
    second = CaregiverLinkFactory.create(patient=patient)
    CaregiverLink.objects.filter(pk=second.pk).update(created_at=NOW - dt.timedelta(days=8))
    assert services.reminders_send_due(NOW) == 2
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [quiet_link.user.email, second.user.email]
    )


def test_a_newly_linked_person_is_not_reminded_yet(patient: Any) -> None:
    CaregiverLinkFactory.create(patient=patient)  # created now
    assert services.reminders_send_due(NOW) == 0


@pytest.mark.parametrize("change", [{"email": ""}, {"is_active": False}])
def test_people_without_e_mail_or_phone_or_inactive_are_skipped(
    quiet_link: CaregiverLink, family: User, change: dict[str, Any]
) -> None:
    type(family).objects.filter(pk=family.pk).update(**change)
    assert services.reminders_send_due(NOW) == 0


def test_someone_with_a_phone_and_no_e_mail_gets_a_text_message(
    quiet_link: CaregiverLink, family: User, patient: Any, settings: Any
) -> None:
    settings.IMMUNOWATCH_SMS_BACKEND = "reporting.channels.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    type(family).objects.filter(pk=family.pk).update(email="")
    CaregiverLink.objects.filter(pk=quiet_link.pk).update(phone="+84912345678")
    assert services.reminders_send_due(NOW) == 1
    deliver_outbox()
    (sms,) = LocmemSmsBackend.outbox
    assert sms.to == "+84912345678"
    assert f"{reverse('report_new')}?patient={patient.pk}" in sms.text
    assert patient.full_name not in sms.text


def test_the_e_mail_has_no_health_details_and_links_to_the_report_page(
    quiet_link: CaregiverLink, family: User, patient: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://iw.example.org"
    settings.IMMUNOWATCH_EMERGENCY_NUMBER = "115"
    settings.IMMUNOWATCH_HOTLINE = "1900 1234"
    patient.preferred_language = "en"
    patient.save()
    # Earlier health details that must not leak into the reminder.
    report(patient, family, days_ago=20)
    services.report_submit(
        patient=patient,
        reported_by=family,
        reporter_role="family",
        symptoms=[{"code": "diarrhea", "stools_over_baseline": 5}],
        submitted_at=NOW - dt.timedelta(days=10),
    )
    services.reminders_send_due(NOW)
    deliver_outbox()
    (message,) = mail.outbox
    text = f"{message.subject}\n{message.body}"
    assert message.subject == "ImmunoWatch: time for a check-in"
    assert f"https://iw.example.org{reverse('report_new')}?patient={patient.pk}" in text
    assert "does not replace calling the care team" in text
    assert "115" in text and "1900 1234" in text
    for detail in (patient.full_name, patient.hospital_number, "iarrh", "urgent", "atezolizumab"):
        assert detail not in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_e_mail_is_written_in_the_persons_language(
    quiet_link: CaregiverLink, family: User, patient: Any, monkeypatch: Any, language: str
) -> None:
    languages: list[str | None] = []
    real = notification_messages.render_to_string

    def spy(template: str, context: dict[str, Any]) -> str:
        languages.append(translation.get_language())
        return real(template, context)

    monkeypatch.setattr(notification_messages, "render_to_string", spy)
    type(family).objects.filter(pk=family.pk).update(language=language)
    patient.preferred_language = "en" if language == "vi" else "vi"  # the person's wins
    patient.save()
    services.reminders_send_due(NOW)
    deliver_outbox()
    assert languages == [language, language]  # subject and body


def test_two_workers_never_both_send(quiet_link: CaregiverLink, monkeypatch: Any) -> None:
    """Worker B listed the link as due, but worker A claimed (and e-mailed) it meanwhile."""
    stale = reminders._due_links(NOW)
    assert stale == [quiet_link.pk]
    assert services.reminders_send_due(NOW) == 1  # worker A
    monkeypatch.setattr(reminders, "_due_links", lambda now: stale)
    assert services.reminders_send_due(NOW + dt.timedelta(seconds=1)) == 0  # worker B
    deliver_outbox()
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_by_the_outbox_not_reminded_twice(
    quiet_link: CaregiverLink, settings: Any
) -> None:
    """A mail server that is down: the reminder stays pending and is sent when it is back;
    the beat does not write a second one meanwhile."""
    settings.EMAIL_BACKEND = "tests.support.outbox_failing.RefusingEmailBackend"
    assert services.reminders_send_due(NOW) == 1
    (row,) = deliver_outbox()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)
    assert services.reminders_send_due(NOW + dt.timedelta(hours=1)) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (row,) = deliver_outbox()
    assert row.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_the_beat_task_sends_them(quiet_link: CaregiverLink) -> None:
    assert send_checkin_reminders() == 1
    deliver_outbox()
    assert len(mail.outbox) == 1


def test_the_task_is_on_the_beat_schedule_hourly_and_expires() -> None:
    entry = app.conf.beat_schedule["send-checkin-reminders"]
    assert entry["task"] == send_checkin_reminders.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 3600
    assert 0 < entry["options"]["expires"] <= 3600


def test_a_person_reporting_for_themself_is_addressed_as_the_patient(patient: Any) -> None:
    me = FamilyUserFactory.create(first_name="Chau", last_name="", language="en")
    link = CaregiverLinkFactory.create(user=me, patient=patient, relationship="self")
    CaregiverLink.objects.filter(pk=link.pk).update(created_at=NOW - dt.timedelta(days=8))
    services.reminders_send_due(NOW)
    deliver_outbox()
    (message,) = mail.outbox
    assert "Hello Chau," in message.body
    assert "from you" in message.body
