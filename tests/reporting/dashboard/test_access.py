"""Who may use /triage/: nurses of the care team only. Families and admins get 403, the
anonymous the log-in page, a nurse of another team 404 on every object URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.models import Alert, AlertEvent, Snooze, User
from reporting.services import snooze_symptom
from tests.factories import NurseFactory, UserFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(nurse: User, patient: Any, family: User) -> dict[str, Any]:
    alert = raise_alert(patient, "urgent")
    snooze = snooze_symptom(nurse=nurse, patient=patient, code="high_blood_pressure", days=7)
    return {"alert": alert, "patient": patient, "snooze": snooze}


def triage_urls(objects: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, URL) of every /triage/ page and action."""
    alert, patient, snooze = objects["alert"].pk, objects["patient"].pk, objects["snooze"].pk
    urls = [
        ("get", reverse("triage_queue")),
        ("get", reverse("triage_queue") + "?fragment=1"),
        ("get", reverse("missed_checkins")),
        ("get", reverse("alert_detail", args=[alert])),
        ("get", reverse("nurse_patient", args=[patient])),
        ("post", reverse("alert_act", args=[alert])),
        ("post", reverse("snooze_create", args=[patient])),
        ("post", reverse("snooze_cancel", args=[snooze])),
    ]
    assert all(url.startswith("/triage/") for _, url in urls)
    return urls


def assert_nothing_changed(objects: dict[str, Any]) -> None:
    alert = Alert.objects.get(pk=objects["alert"].pk)
    assert (alert.status, alert.claimed_by, alert.outcome) == (Alert.Status.NEW, None, "")
    assert AlertEvent.objects.filter(alert=alert).count() == 1
    assert Snooze.objects.get(pk=objects["snooze"].pk).cancelled_at is None
    assert Snooze.objects.count() == 1


def test_family_members_get_403_on_every_triage_url(
    client: Any, family: User, objects: dict[str, Any]
) -> None:
    client.force_login(family)
    for method, url in triage_urls(objects):
        response = getattr(client, method)(
            url, {"step": "note", "call_note": "x", "code": "fever", "days": "3"}
        )
        assert response.status_code == 403, (method, url)
        assert objects["patient"].full_name not in response.content.decode()
    assert_nothing_changed(objects)


def test_admins_get_403_on_every_triage_url(client: Any, objects: dict[str, Any]) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    for method, url in triage_urls(objects):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert_nothing_changed(objects)


def test_anonymous_visitors_are_sent_to_log_in(client: Any, objects: dict[str, Any]) -> None:
    for method, url in triage_urls(objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login"))
    assert_nothing_changed(objects)


def test_a_nurse_of_another_team_gets_404_on_every_object_url(
    client: Any, objects: dict[str, Any]
) -> None:
    client.force_login(NurseFactory.create(care_teams=[]))
    for method, url in triage_urls(objects)[3:]:
        response = getattr(client, method)(
            url, {"step": "note", "call_note": "x", "code": "fever", "days": "3"}
        )
        assert response.status_code == 404, (method, url)
        assert objects["patient"].full_name not in response.content.decode()
    assert_nothing_changed(objects)


def test_a_nurse_of_another_team_sees_an_empty_queue_and_no_missed_patients(
    client: Any, objects: dict[str, Any]
) -> None:
    client.force_login(NurseFactory.create(care_teams=[]))
    for name in ("triage_queue", "missed_checkins"):
        response = client.get(reverse(name), {"status": "all"})
        assert response.status_code == 200
        assert objects["patient"].full_name not in response.content.decode()


def test_nurse_nav_links_to_alerts_and_missed_check_ins(client: Any, nurse: User) -> None:
    client.force_login(nurse)
    body = client.get(reverse("nurse_home")).content.decode()
    assert f'href="{reverse("triage_queue")}"' in body
    assert f'href="{reverse("missed_checkins")}"' in body


def test_urls_carry_ids_only(objects: dict[str, Any]) -> None:
    patient = objects["patient"]
    for _, url in triage_urls(objects):
        assert patient.hospital_number not in url and patient.full_name not in url
