"""On PostgreSQL a statement run a few times on a connection is prepared (settings:
DATABASE_PREPARED_STATEMENTS), so the server plans it once; the ORM's queries, compiled
queries included, work the same with their parameters sent apart from the SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from reporting.models import Alert, Patient, User
from reporting.pages.dashboard import QUEUE_LINE_VALUES
from reporting.selectors.dashboard import QueueFilters, QueueLines
from reporting.selectors.people import care_teams_list
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def _prepared(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return int(cursor.fetchone()[0])


def test_a_query_run_three_times_is_prepared_and_gives_the_same_rows() -> None:
    patients = PatientFactory.create_batch(4)
    found = [
        list(Patient.objects.filter(pk=patient.pk).values_list("hospital_number", flat=True))
        for patient in patients
    ]
    assert found == [[patient.hospital_number] for patient in patients]
    assert _prepared('FROM "reporting_patient" WHERE "reporting_patient"."id" = $1') >= 1


def test_compiled_queries_are_prepared_too() -> None:
    team = CareTeamFactory.create()
    nurse = NurseFactory.create(care_teams=[team])
    for _ in range(4):
        # A new user object each time, as each request has (the teams are kept on it).
        assert care_teams_list(User.objects.get(pk=nurse.pk)) == (team,)
    assert _prepared('"reporting_careteammembership"') >= 1


def test_the_queues_rows_are_planned_once_not_at_every_refresh() -> None:
    """With the open statuses written into it, the queue's statement gets PostgreSQL's
    generic plan after its first runs (pg_prepared_statements counts them): not planned
    again at every refresh of every nurse's queue."""
    team = CareTeamFactory.create()
    nurse = NurseFactory.create(care_teams=[team])
    for number in range(3):
        raise_alert(PatientFactory.create(care_team=team), "urgent" if number else "monitor")
    # A ward's history: many resolved alerts beside the few open ones, as PostgreSQL's
    # statistics know it. Only the open alerts' index (WHERE status IN ('new',
    # 'acknowledged')) then makes the queue cheap, and a plan may use it only if it knows
    # the statuses.
    now = timezone.now()
    patient = PatientFactory.create(care_team=team)
    Alert.objects.bulk_create(
        Alert(
            patient=patient,
            care_team=team,
            level="monitor",
            status=Alert.Status.RESOLVED,
            created_at=now,
            due_at=now,
            resolved_at=now,
        )
        for _ in range(5_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporting_alert")
    for _ in range(12):
        user = User.objects.get(pk=nurse.pk)
        care_teams_list(user)
        rows = QueueLines(user, QueueFilters(), QUEUE_LINE_VALUES, 3)[0:50]
        assert len(rows) == 3
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ['%"reporting_alert"."level_rank" DESC%LIMIT 3'],
        )
        ((generic, custom),) = cursor.fetchall()
    # Prepared at the third run; PostgreSQL tries five plans made for the values, then keeps
    # the generic one (with a status as a parameter it never did: generic_plans stayed 0).
    assert custom <= 5 and generic >= 4
