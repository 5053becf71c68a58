"""What a report with symptoms (or a note) reads before it is stored, under the patient's lock:
the previous report to compare with, the open alert it joins, the follow-up it carries on. And
the report's row is written once, naming its alert."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.models import Alert, FollowUp, Patient, Report
from reporting.selectors.reports import BeforeReport, lock_patient_before_report
from reporting.services.alerts import alert_for_new_report
from reporting.services.care import follow_up_after_new_report
from tests.factories import PatientFactory
from tests.reporting.dashboard.factories import SYMPTOMS, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(db: Any) -> Patient:
    return PatientFactory.create()


def _before(patient: Patient, when: dt.datetime | None = None) -> BeforeReport:
    with transaction.atomic():
        return lock_patient_before_report(patient.pk, when=when or timezone.now())


def test_a_patient_with_nothing_before_has_nothing_to_join(patient: Patient) -> None:
    assert _before(patient) == BeforeReport(None, None, None)


def test_it_finds_the_last_report_the_open_alert_and_the_follow_up(patient: Patient) -> None:
    submit(patient, SYMPTOMS["monitor"], ago=dt.timedelta(days=3))
    last = submit(patient, SYMPTOMS["urgent"], ago=dt.timedelta(days=1))
    before = _before(patient)
    assert before.previous_report_id == last.pk
    assert before.open_alert_id == Alert.objects.get().pk
    assert before.follow_up_id == FollowUp.objects.get().pk
    # Another patient's rows are never theirs.
    assert _before(PatientFactory.create()) == BeforeReport(None, None, None)


def test_only_the_last_14_days_count_and_only_open_alerts(patient: Patient) -> None:
    submit(patient, SYMPTOMS["urgent"], ago=dt.timedelta(days=15))
    Alert.objects.update(status=Alert.Status.RESOLVED)
    FollowUp.objects.update(stopped_at=timezone.now())
    assert _before(patient) == BeforeReport(None, None, None)
    # Seen from 2 days after that report, it is the previous one.
    two_days_after = timezone.now() - dt.timedelta(days=13)
    assert _before(patient, two_days_after).previous_report_id == Report.objects.get().pk


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_taken_inside_a_transaction_only(patient: Patient) -> None:
    with pytest.raises(TransactionManagementError):
        lock_patient_before_report(patient.pk, when=timezone.now())


def test_an_urgent_report_is_written_once_with_its_alert(patient: Patient) -> None:
    with CaptureQueriesContext(connection) as queries:
        report = submit(patient, SYMPTOMS["urgent"])
    assert report.alert is not None
    # An INSERT of its own, or (PostgreSQL) inside the statement that writes its symptoms.
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if 'INSERT INTO "reporting_report" ' in q["sql"]
        or q["sql"].startswith('UPDATE "reporting_report" ')
    ]
    assert len(writes) == 1 and "UPDATE" not in writes[0]
    report.refresh_from_db()
    assert report.alert == Alert.objects.get()


def test_an_alert_resolved_after_it_was_found_is_not_joined(patient: Patient) -> None:
    first = submit(patient, SYMPTOMS["urgent"], ago=dt.timedelta(hours=1))
    assert first.alert is not None
    with transaction.atomic():
        before = lock_patient_before_report(patient.pk, when=timezone.now())
        Alert.objects.update(status=Alert.Status.RESOLVED)  # a nurse, just then
        report = Report(patient=patient, level="urgent", note="", suspected_irae=[])
        alert = alert_for_new_report(
            report=report, levels=[("diarrhea", "urgent")], open_alert_id=before.open_alert_id
        )
    assert alert is not None and alert.pk != first.alert.pk
    assert report.alert == alert and alert.status == Alert.Status.NEW


def test_a_follow_up_stopped_after_it_was_found_is_not_carried_on(patient: Patient) -> None:
    first = submit(patient, SYMPTOMS["monitor"], ago=dt.timedelta(hours=1))
    old = FollowUp.objects.get()
    with transaction.atomic():
        before = lock_patient_before_report(patient.pk, when=timezone.now())
        FollowUp.objects.update(stopped_at=timezone.now())  # the nurse resolved the alert
        follow_up = follow_up_after_new_report(
            report=first, entries=list(first.symptoms.all()), follow_up_id=before.follow_up_id
        )
    assert before.follow_up_id == old.pk
    assert follow_up is not None and follow_up.pk != old.pk and follow_up.stopped_at is None
