"""A double tap on a slow phone, or a browser's retry, stores one report: the form carries a
one-time submission key, unique in the database, and a repeat gets the first report's page.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from reporting.models import Alert, AlertEvent, Notification, Report, SymptomEntry, User
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, NurseFactory, PatientFactory
from tests.reporting.reports.helpers import answers, form_data, inputs_by_name, report_url

URGENT = form_data("diarrhea", **answers("diarrhea", stools_over_baseline="5"))


def counts() -> tuple[int, int, int, int]:
    return (
        Report.objects.count(),
        SymptomEntry.objects.count(),
        Alert.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.django_db
def test_each_page_carries_a_new_key(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    keys = [
        inputs_by_name(client.get(report_url(patient.pk)).content.decode())["submission_key"][0]
        for _ in range(2)
    ]
    assert keys[0]["type"] == "hidden"
    assert keys[0]["value"] != keys[1]["value"]
    uuid.UUID(str(keys[0]["value"]))


@pytest.mark.django_db
def test_the_same_form_sent_again_stores_nothing_and_shows_the_first_report(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    client.force_login(family)
    data = {**URGENT, "submission_key": str(uuid.uuid4())}
    first = client.post(report_url(patient.pk), data)
    stored = counts()
    assert stored[0] == 1 and stored[2] == 1 and stored[3] >= 1
    report = Report.objects.get()
    assert first.url == reverse("report_result", args=[report.pk])
    for _ in range(3):
        again = client.post(report_url(patient.pk), data)
        assert again.status_code == 302
        assert again.url == f"{first.url}?already_sent=1"
    assert counts() == stored
    page = client.get(again.url).content.decode()
    assert page.count("This report was already sent; it was not sent twice.") == 1


@pytest.mark.django_db
def test_a_sent_form_changed_into_one_that_needs_fixing_still_shows_the_first_report(
    client: Any, family: User, patient: Any, nurse: User
) -> None:
    """Back, an answer cleared, "Send" again: the report is stored already, say so (as a
    repeat of the very same answers does) rather than ask to fix a form that was sent."""
    client.force_login(family)
    key = str(uuid.uuid4())
    first = client.post(report_url(patient.pk), {**URGENT, "submission_key": key})
    stored = counts()
    cleared = {name: value for name, value in URGENT.items() if name == "symptoms"}
    again = client.post(report_url(patient.pk), {**cleared, "send": "1", "submission_key": key})
    assert again.status_code == 302
    assert again.url == f"{first.url}?already_sent=1"
    assert counts() == stored


@pytest.mark.django_db
def test_the_back_button_comes_back_to_the_same_key_and_finds_the_report_sent(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    opened = client.get(reverse("report_new") + f"?patient={patient.pk}")
    assert opened.status_code == 302  # the form's address gets its key
    form_url = opened["Location"]
    assert client.get(form_url).status_code == 200
    sent = client.post(form_url, URGENT)
    report = Report.objects.get()
    # Back to the form (the browser fetches it again: it is never cached), then send again.
    back = client.get(form_url)
    assert back["Location"] == f"{reverse('report_result', args=[report.pk])}?already_sent=1"
    assert client.post(form_url, URGENT)["Location"] == back["Location"]
    assert sent.status_code == 302 and Report.objects.count() == 1


@pytest.mark.django_db
def test_a_new_page_is_a_new_report(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    for _ in range(2):
        client.post(report_url(patient.pk), {**URGENT, "submission_key": str(uuid.uuid4())})
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_form_keeps_its_key_for_the_corrected_send(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    key = str(uuid.uuid4())
    bad = form_data("fever", **answers("fever", temperature_c="45"))
    page = client.post(report_url(patient.pk), {**bad, "submission_key": key})
    assert inputs_by_name(page.content.decode())["submission_key"][0]["value"] == key
    good = form_data("fever", **answers("fever", temperature_c="38.5"))
    client.post(report_url(patient.pk), {**good, "submission_key": key})
    assert Report.objects.get().submission_key == uuid.UUID(key)


@pytest.mark.django_db
def test_a_form_without_its_key_is_refused_and_stores_nothing(
    client: Any, family: User, patient: Any
) -> None:
    client.force_login(family)
    response = client.post(reverse("report_new") + f"?patient={patient.pk}", URGENT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please check your answers and press “Send report” again." in page
    new_key = inputs_by_name(page)["submission_key"][0]["value"]
    uuid.UUID(str(new_key))  # the page offers a fresh one to send again
    assert f"&amp;key={new_key}" in page  # and the form posts under it
    assert 'value="5"' in page  # what was typed is still there
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_someone_elses_key_is_refused(client: Any, family: User, patient: Any) -> None:
    client.force_login(family)
    key = str(uuid.uuid4())
    client.post(report_url(patient.pk), {**URGENT, "submission_key": key})
    other = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=other, patient=patient)
    client.force_login(other)
    response = client.post(report_url(patient.pk), {**URGENT, "submission_key": key})
    assert response.status_code == 403
    assert Report.objects.count() == 1


# --- at the same moment: the database decides -----------------------------------------------


def send_at_once(copies: int, patient: Any, user: User, *, apart: float = 0.0) -> list[Any]:
    """POST the same form `copies` times from as many threads (each its own connection),
    together or `apart` seconds apart; the responses."""
    data = {**URGENT, "submission_key": str(uuid.uuid4())}
    start = threading.Barrier(copies)
    responses: list[Any] = [None] * copies

    def tap(index: int) -> None:
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            time.sleep(index * apart)
            responses[index] = client.post(report_url(patient.pk), data)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(index,)) for index in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("copies", "apart"), [(2, 0.0), (5, 0.0), (3, 0.3)])
def test_copies_sent_together_store_one_report_one_alert_one_set_of_notifications(
    copies: int, apart: float, settings: Any
) -> None:
    """On PostgreSQL (CI) the unique index makes the later inserts wait for the first commit
    and fail; on SQLite the IMMEDIATE transactions queue and the later ones fail the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    patient = PatientFactory.create()
    NurseFactory.create(care_teams=[patient.care_team])  # on duty: notified of urgent alerts
    family = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=family, patient=patient)

    responses = send_at_once(copies, patient, family, apart=apart)

    report = Report.objects.get()
    assert [response.status_code for response in responses] == [302] * copies
    result = reverse("report_result", args=[report.pk])
    assert {response.url.split("?")[0] for response in responses} == {result}
    assert Alert.objects.count() == 1
    assert AlertEvent.objects.filter(kind=AlertEvent.Kind.CREATED).count() == 1
    assert Notification.objects.count() == Notification.objects.filter(alert=report.alert).count()
    assert Notification.objects.filter(alert=report.alert, channel="email").count() == 1
