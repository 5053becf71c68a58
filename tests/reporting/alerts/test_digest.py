"""Monitor alerts go into a digest every few hours, one message per on-duty nurse."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from reporting.models import Alert, AlertEvent, Digest, Notification
from reporting.services import alert_raise_for_report, digests_send, notification_deliver
from tests.factories import NurseFactory, PatientFactory
from tests.reporting.alerts.helpers import MONITOR, URGENT, another_patient, make_report

pytestmark = pytest.mark.django_db


def _monitor(patient: Any) -> Alert:
    alert = alert_raise_for_report(report=make_report(patient, MONITOR))
    assert alert is not None
    return alert


def test_one_digest_per_team_one_message_per_on_duty_nurse(
    ward: dict[str, Any], publisher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = _monitor(another_patient(ward)), _monitor(another_patient(ward))
    alert_raise_for_report(report=make_report(another_patient(ward), URGENT))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    digest = Digest.objects.get()
    assert set(digest.alerts.all()) == {first, second}  # not the urgent one
    rows = Notification.objects.filter(digest=digest)
    # E-mail for each on-duty nurse (the phone is for urgent alerts); off duty: nothing.
    assert {(r.recipient_id, r.channel) for r in rows} == {
        (ward["on_duty"].pk, "email"),
        (ward["with_phone"].pk, "email"),
    }
    assert {r.purpose for r in rows} == {"digest"}
    assert set(publisher.published) >= {r.pk for r in rows}


def test_an_alert_is_in_one_digest_only(ward: dict[str, Any], publisher: Any) -> None:
    _monitor(another_patient(ward))
    assert digests_send() == 1
    assert digests_send() == 0
    later = _monitor(another_patient(ward))
    assert digests_send() == 1
    digest = Digest.objects.order_by("-pk").first()
    assert digest is not None
    assert list(digest.alerts.all()) == [later]


def test_acknowledged_alerts_are_left_out(ward: dict[str, Any], publisher: Any) -> None:
    alert = _monitor(another_patient(ward))
    Alert.objects.filter(pk=alert.pk).update(status="acknowledged")
    assert digests_send() == 0


def test_a_team_with_nobody_on_duty_keeps_its_alerts_for_later(
    ward: dict[str, Any], publisher: Any
) -> None:
    ward["team"].memberships.update(on_duty=False)
    alert = _monitor(another_patient(ward))
    assert digests_send() == 0
    ward["team"].memberships.filter(nurse=ward["on_duty"]).update(on_duty=True)
    assert digests_send() == 1
    assert list(Digest.objects.get().alerts.all()) == [alert]


def test_teams_get_separate_digests(ward: dict[str, Any], publisher: Any) -> None:
    _monitor(another_patient(ward))
    _monitor(PatientFactory.create(care_team=ward["other_team"]))
    assert digests_send() == 2
    other = Notification.objects.get(care_team=ward["other_team"])
    assert other.recipient == ward["other_nurse"]


def test_the_digest_says_how_many_and_links_to_the_queue(
    ward: dict[str, Any], publisher: Any
) -> None:
    alerts = [_monitor(another_patient(ward)) for _ in range(3)]
    digests_send()
    row = Notification.objects.get(recipient=ward["on_duty"], purpose="digest")
    notification_deliver(notification_id=row.pk)
    [message] = mail.outbox
    assert "3 monitor alerts for patients of Ward 7 oncology" in message.subject
    assert "https://immunowatch.example.org/" in message.body
    # Each alert's history says the digest reached this nurse.
    for alert in alerts:
        assert AlertEvent.objects.filter(alert=alert, kind="notified").count() == 1


def test_a_nurse_without_email_gets_the_digest_by_sms(ward: dict[str, Any], publisher: Any) -> None:
    team = ward["other_team"]
    nurse = NurseFactory.create(care_teams=[team], email="")
    nurse.memberships.filter(care_team=team).update(phone="+84 91 111 1111")
    _monitor(PatientFactory.create(care_team=team))
    digests_send()
    row = Notification.objects.get(recipient=nurse)
    assert (row.channel, row.address) == ("sms", "+84 91 111 1111")
