"""An "I feel well today" check-in: it opens nothing, and touches the patient's open alert or
follow-up only when there is one (one query to know)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.models import Alert, AlertEvent, FollowUp, Patient, Report
from tests.factories import PatientFactory
from tests.reporting.dashboard.factories import SYMPTOMS, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(db: Any) -> Patient:
    return PatientFactory.create()


def test_a_check_in_with_nothing_open_writes_the_report_only(patient: Patient) -> None:
    submit(patient, SYMPTOMS["routine"], ago=dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        check_in = submit(patient, SYMPTOMS["routine"])
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1 and "reporting_report" in writes[0]
    assert check_in.alert is None and check_in.level == "routine"
    # Nothing to compare with the report before: no previous report is named.
    assert check_in.previous_report is None
    assert not Alert.objects.exists() and not FollowUp.objects.exists()


def test_a_check_in_joins_the_open_alert(patient: Patient) -> None:
    urgent = submit(patient, SYMPTOMS["urgent"], ago=dt.timedelta(hours=2))
    assert urgent.alert is not None
    check_in = submit(patient, SYMPTOMS["routine"])
    assert check_in.alert == urgent.alert
    assert AlertEvent.objects.filter(alert=urgent.alert, kind=AlertEvent.Kind.NEW_REPORT).exists()
    assert Alert.objects.count() == 1


def test_a_check_in_ends_the_follow_up_as_better(patient: Patient) -> None:
    submit(patient, SYMPTOMS["monitor"], ago=dt.timedelta(days=1))
    follow_up = FollowUp.objects.get()
    Alert.objects.update(status=Alert.Status.RESOLVED)  # the nurse dealt with the alert
    submit(patient, SYMPTOMS["routine"])
    follow_up.refresh_from_db()
    assert follow_up.stop_reason == FollowUp.Stop.BETTER


def _in_transaction_when_saved(patient: Patient, symptoms: list[dict[str, Any]]) -> list[bool]:
    """For each statement that writes a report's row: was it inside a transaction?"""
    seen: list[bool] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if 'INSERT INTO "reporting_report"' in sql:
            seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        submit(patient, symptoms)
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_check_in_with_nothing_open_is_one_insert_needing_no_transaction() -> None:
    patient = PatientFactory.create()
    assert _in_transaction_when_saved(patient, SYMPTOMS["routine"]) == [False]
    # With an open alert to join, the report and the alert's change are one transaction,
    # and the report's row is written once, naming the alert.
    submit(patient, SYMPTOMS["urgent"], ago=dt.timedelta(hours=1))
    assert _in_transaction_when_saved(patient, SYMPTOMS["routine"]) == [True]
    assert Report.objects.filter(alert__isnull=False).count() == 2
