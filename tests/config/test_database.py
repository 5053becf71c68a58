"""On PostgreSQL a statement run a few times on a connection is prepared (settings:
DATABASE_PREPARED_STATEMENTS), so the server plans it once; the ORM's queries, compiled
queries included, work the same with their parameters sent apart from the SQL."""

from __future__ import annotations

import pytest
from django.db import connection

from reporting.models import Patient, User
from reporting.selectors.people import care_teams_list
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory

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
