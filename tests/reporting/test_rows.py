"""Rows written together (reporting/services/rows.py): an alert with its history row, event
and notifications; a report with its symptoms. One statement on PostgreSQL, in turn
elsewhere; the same rows either way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.models import Alert, AlertEvent, Notification, User
from reporting.notifications import outbox
from reporting.services import rows
from reporting.services.rows import Linked, history_row, insert_linked
from tests.factories import NurseFactory, PatientFactory

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = connection.vendor == "postgresql"


def _new_alert(patient: Any) -> Alert:
    now = timezone.now()
    return Alert(
        patient=patient,
        care_team=patient.care_team,
        level="urgent",
        level_rank=2,
        suspected_irae=["gastrointestinal"],
        created_at=now,
        due_at=now + dt.timedelta(minutes=30),
    )


def _written(patient: Any) -> tuple[Alert, AlertEvent, list[Notification], list[str]]:
    """An alert opened as a report opens one, and the SQL that wrote it."""
    NurseFactory.create(care_teams=[patient.care_team], email="on.duty@example.org")
    alert = _new_alert(patient)
    event = AlertEvent(alert=alert, kind=AlertEvent.Kind.CREATED, created_at=alert.created_at)
    notifications = outbox.notifications_for_new_alert(alert=alert)
    with CaptureQueriesContext(connection) as queries:
        insert_linked(
            alert,
            [
                Linked([history_row(alert)], "id"),
                Linked([event], "alert_id"),
                Linked(notifications, "alert_id", naming="idempotency_key"),
            ],
        )
    return alert, event, notifications, [q["sql"] for q in queries.captured_queries]


def test_every_row_is_written_pointing_at_the_first(patient: Any) -> None:
    alert, event, notifications, _sql = _written(patient)
    stored = Alert.objects.get()
    assert stored.pk == alert.pk and stored.level == "urgent" and stored.level_rank == 2
    assert stored.suspected_irae == ["gastrointestinal"]
    assert list(stored.events.values_list("pk", "kind")) == [(event.pk, "created")]
    assert [h.history_type for h in stored.history.all()] == ["+"]
    assert stored.history.get().level == "urgent"
    kept = list(Notification.objects.filter(alert=stored).order_by("pk"))
    assert [n.pk for n in kept] == sorted(n.pk for n in notifications)
    assert kept and all(n.idempotency_key.startswith(f"alert-{alert.pk}:") for n in kept)


def test_the_rows_held_are_the_rows_stored(patient: Any) -> None:
    """What the caller holds afterwards is what was written: ids, links, names, saved."""
    alert, event, notifications, _sql = _written(patient)
    assert event.alert_id == alert.pk and event.alert is alert
    for notification in notifications:
        stored = Notification.objects.get(pk=notification.pk)
        assert notification.idempotency_key == stored.idempotency_key
        assert notification.alert_id == alert.pk and notification.alert is alert
    for row in [alert, event, *notifications]:
        assert not row._state.adding and row._state.db == "default"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="one statement: PostgreSQL's WITH ... INSERT")
def test_on_postgresql_it_is_one_statement(patient: Any) -> None:
    *_rows, sql = _written(patient)
    assert len(sql) == 1 and sql[0].startswith("WITH ")


@pytest.mark.skipif(ON_POSTGRESQL, reason="the other databases' way")
def test_elsewhere_one_statement_per_model(patient: Any) -> None:
    *_rows, sql = _written(patient)
    tables = [s.split('"')[1] for s in sql if s.startswith("INSERT")]
    assert tables == [
        "reporting_alert",
        "reporting_historicalalert",
        "reporting_alertevent",
        "reporting_notification",
    ]


def test_the_history_row_names_who_did_it(patient: Any, nurse: User) -> None:
    alert = _new_alert(patient)
    alert._history_user = nurse  # type: ignore[attr-defined]  # as the history middleware
    insert_linked(alert, [Linked([history_row(alert)], "id")])
    assert alert.history.get().history_user == nurse


def test_a_row_that_fails_writes_none_of_them(patient: Any) -> None:
    """A notification whose key is taken: the statement (or its transaction) fails whole."""
    alert, *_rest = _written(patient)
    taken = Notification.objects.filter(alert=alert).first()
    assert taken is not None
    second = _new_alert(PatientFactory.create(care_team=patient.care_team))
    copy = Notification(
        care_team=patient.care_team,
        purpose=taken.purpose,
        channel=taken.channel,
        address=taken.address,
        alert=second,
        idempotency_key=taken.idempotency_key,
        created_at=timezone.now(),
        available_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_linked(second, [Linked([copy], "alert_id")])
    assert Alert.objects.count() == 1


def test_the_alerts_notifications_name_it_as_the_rows_module_fills_in() -> None:
    assert outbox.NEW_ALERT_ID == rows.NEW_ID
