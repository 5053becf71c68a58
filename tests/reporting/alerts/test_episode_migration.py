"""Migrations 0004 and 0005: a patient's open alerts (from before one episode made one alert) are
merged into the oldest, which keeps every report, event and notification of the others."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reporting.models import Alert

BEFORE = [("reporting", "0003_lab_results_and_alert_items")]
AFTER = [("reporting", "0005_one_open_alert_constraint")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_open_alerts_of_one_patient_are_merged_into_the_oldest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Team, Patient = old.get_model("reporting", "CareTeam"), old.get_model("reporting", "Patient")
    OldAlert, Report = old.get_model("reporting", "Alert"), old.get_model("reporting", "Report")
    Event = old.get_model("reporting", "AlertEvent")
    team = Team.objects.create(name="Migration ward")
    patient = Patient.objects.create(
        full_name="A", hospital_number="MIG-1", date_of_birth=dt.date(1960, 1, 1), care_team=team
    )
    now = timezone.now()
    made: list[Any] = []
    for minutes, level, rank, irae, due in [
        (30, "monitor", 1, ["gastrointestinal"], dt.timedelta(days=1)),
        (10, "urgent", 2, ["hepatic"], dt.timedelta(minutes=50)),
    ]:
        alert = OldAlert.objects.create(
            patient=patient,
            care_team=team,
            level=level,
            level_rank=rank,
            suspected_irae=irae,
            created_at=now - dt.timedelta(minutes=minutes),
            due_at=now + due,
        )
        Report.objects.create(
            patient=patient, reporter_role="family", level=level, ruleset="2026.1", alert=alert
        )
        Event.objects.create(alert=alert, kind="created")
        made.append(alert)
    oldest, newer = made
    resolved = OldAlert.objects.create(
        patient=patient,
        care_team=team,
        level="urgent",
        level_rank=2,
        status="resolved",
        created_at=now - dt.timedelta(days=3),
        due_at=now - dt.timedelta(days=3),
    )

    try:
        MigrationExecutor(connection).migrate(AFTER)
        check(oldest, newer, resolved)
    finally:
        # Back to the latest schema for the tests that follow.
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())


def check(oldest: Any, newer: Any, resolved: Any) -> None:
    kept = Alert.objects.get(pk=oldest.pk)
    assert not Alert.objects.filter(pk=newer.pk).exists()
    assert (kept.level, kept.level_rank) == ("urgent", 2)
    assert kept.suspected_irae == ["gastrointestinal", "hepatic"]
    assert kept.due_at == newer.due_at  # the urgent one's, the earlier first-contact time
    assert kept.reports.count() == 2 and kept.events.count() == 2
    assert Alert.objects.get(pk=resolved.pk).status == "resolved"  # history is left alone
