"""Migration 0006 on existing data: phones to E.164 where they parse, hospital numbers
stripped, and a clear stop (changing nothing) when two differ only in case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("reporting", "0005_contact_phones")]
AFTER = [("reporting", "0006_enrolment_validation")]


@pytest.fixture
def at_0005(transactional_db: None) -> Iterator[Any]:
    """The schema of 0005 (its models, as `apps`); everything migrated again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_to_0006() -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    return executor.loader.project_state(AFTER).apps


def people(apps: Any, **patient: Any) -> dict[str, Any]:
    User = apps.get_model("auth", "User")
    team = apps.get_model("reporting", "CareTeam").objects.create(name="Ward 7")
    nurse = User.objects.create(username="nurse-m")
    membership = apps.get_model("reporting", "CareTeamMembership").objects.create(
        care_team=team, nurse=nurse, phone="0912 000 111"
    )
    patient_row = apps.get_model("reporting", "Patient").objects.create(
        care_team=team, full_name="A", date_of_birth=dt.date(1960, 1, 1), **patient
    )
    link = apps.get_model("reporting", "CaregiverLink").objects.create(
        user=User.objects.create(username="family-m"), patient=patient_row,
        relationship="child", phone="call me maybe",
    )
    invitation = apps.get_model("reporting", "Invitation").objects.create(
        patient=patient_row, email="x@example.org", relationship="child", phone="",
        token_hash="a" * 64, created_by=nurse, expires_at=timezone.now(),
    )
    return {"membership": membership, "patient": patient_row, "link": link,
            "invitation": invitation}


def test_phones_become_e164_where_they_parse_and_stay_otherwise(at_0005: Any) -> None:
    rows = people(at_0005, hospital_number=" HN-7 ", phone="+84 (0) 900 111 222")
    apps = migrate_to_0006()
    values = {
        name: apps.get_model("reporting", type(row).__name__).objects.get(pk=row.pk)
        for name, row in rows.items()
    }
    assert values["patient"].phone == "+84900111222"
    assert values["patient"].hospital_number == "HN-7"
    assert values["membership"].phone == "+84912000111"
    assert values["link"].phone == "call me maybe"  # not a number: left for a person to fix
    assert values["invitation"].phone == ""


def test_hospital_numbers_differing_only_in_case_stop_the_migration(at_0005: Any) -> None:
    rows = people(at_0005, hospital_number="DEMO-0001")
    Patient = at_0005.get_model("reporting", "Patient")
    twin = Patient.objects.create(
        care_team=rows["patient"].care_team, full_name="B", hospital_number="demo-0001 ",
        date_of_birth=dt.date(1960, 1, 1), phone="0900 111 222",
    )
    with pytest.raises(RuntimeError) as stop:
        migrate_to_0006()
    message = str(stop.value)
    assert f"patient ids {rows['patient'].pk} and {twin.pk}" in message
    assert "DEMO-0001" not in message.upper()  # ids only, no patient identifiers
    assert "run migrate again" in message
    # Nothing changed; once corrected, the migration runs.
    twin.refresh_from_db()
    assert twin.phone == "0900 111 222"
    Patient.objects.filter(pk=twin.pk).update(hospital_number="DEMO-0002")
    apps = migrate_to_0006()
    assert apps.get_model("reporting", "Patient").objects.get(pk=twin.pk).phone == "+84900111222"
