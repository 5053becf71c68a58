"""The quality page and its CSV: who may open them, what they show, in how many queries."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reporting.pages.quality import CSV_COLUMNS
from tests.reporting.quality.conftest import Programme

pytestmark = pytest.mark.django_db
WEEKS = {"start": "2026-11-16", "end": "2026-11-29"}


def page(client: Client, user: Any, **params: str) -> Any:
    client.force_login(user)
    return client.get(reverse("quality"), {**WEEKS, **params})


def test_families_get_404_and_strangers_the_log_in(
    client: Client, programme: Programme, family: Any
) -> None:
    assert client.get(reverse("quality")).status_code == 302
    assert client.get(reverse("quality_csv")).status_code == 302
    client.force_login(family)
    assert client.get(reverse("quality")).status_code == 404
    assert client.get(reverse("quality_csv")).status_code == 404


def test_a_nurse_sees_her_team_with_charts_and_tables(client: Client, programme: Programme) -> None:
    response = page(client, programme.nurse_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A team" in html and "B team" not in html
    assert html.count('class="quality-chart"') == 8  # a chart for every figure
    assert "Patients reported in 80% of their weeks (1.00 reports per patient-week)" in html
    assert "Weeks without a report (missed check-ins): 1." in html
    assert "Alerts: 3 (0.60 per patient-week)" in html
    assert "joined an alert already open instead of paging again: 1" in html
    assert "Alerts escalated: 1 (1 escalations in all). Alerts resolved: 2." in html
    assert "Time to resolve: median 18.0 h, 90th percentile 22.8 h." in html
    assert "Gastrointestinal" in html and "atezolizumab + bevacizumab" in html
    assert "Grade 3-4 symptoms: 1" in html


def test_a_nurse_cannot_ask_for_another_teams_figures(client: Client, programme: Programme) -> None:
    response = page(client, programme.nurse_a, team=str(programme.team_b.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "B team" not in html.split('id="adherence"')[1]
    assert "Select a valid choice" in html


def test_an_admin_sees_every_team_and_can_choose_one(client: Client, programme: Programme) -> None:
    both = page(client, programme.admin).content.decode()
    assert "teams: A team, B team" in both
    only_b = page(client, programme.admin, team=str(programme.team_b.pk)).content.decode()
    assert "teams: B team." in only_b
    assert "Alerts: 1 (0.50 per patient-week)" in only_b


def test_an_end_before_the_start_is_said_at_the_field(client: Client, programme: Programme) -> None:
    response = page(client, programme.nurse_a, start="2026-11-29", end="2026-11-16")
    assert "The end comes after the start." in response.content.decode()
    assert response.status_code == 200  # the default weeks, shown below the message


def test_the_csv_has_one_row_per_team_and_week(client: Client, programme: Programme) -> None:
    client.force_login(programme.admin)
    response = client.get(reverse("quality_csv"), WEEKS)
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="immunowatch-quality-2026-11-16-2026-11-30.csv"'
        in response["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["team"], r["week_start"]) for r in rows] == [
        ("A team", "2026-11-16"),
        ("A team", "2026-11-23"),
        ("B team", "2026-11-16"),
        ("B team", "2026-11-23"),
    ]
    a1, a2 = rows[0], rows[1]
    assert (a1["enrolled_patients"], a1["patients_reporting"], a1["adherence_percent"]) == (
        "2",
        "1",
        "50.0",
    )
    assert (a1["alerts_monitor"], a1["ack_median_minutes"], a1["resolve_median_hours"]) == (
        "1",
        "120.0",
        "24.0",
    )
    assert (a2["alerts"], a2["alerts_overdue"], a2["alerts_from_lab_panel"]) == ("2", "2", "1")
    assert (a2["notifications_failed"], a2["notifications_retried"]) == ("1", "2")
    assert (a2["reminders_sent"], a2["snoozed_reports"], a2["grade_3_4_symptoms"]) == (
        "1",
        "1",
        "1",
    )
    assert rows[2]["alerts_emergency"] == "1" and rows[2]["ack_median_minutes"] == "10.0"


def test_the_nurses_csv_has_her_team_only(client: Client, programme: Programme) -> None:
    client.force_login(programme.nurse_a)
    response = client.get(reverse("quality_csv"), WEEKS)
    teams = {row["team"] for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert teams == {"A team"}


@pytest.mark.parametrize("more", [0, 30])
def test_the_page_takes_a_fixed_number_of_queries(
    client: Client, programme: Programme, more: int, django_assert_num_queries: Any
) -> None:
    from tests.factories import PatientFactory
    from tests.reporting.quality.conftest import _report, at

    for index in range(more):
        patient = PatientFactory.create(care_team=programme.team_a)
        _report(patient, at(17 + index % 10, 9), "monitor")
    client.force_login(programme.nurse_a)
    # Session (from Redis where sessions are read there), user with their roles, two-factor
    # device, the form's teams, the figures.
    from_cache = settings.SESSION_ENGINE == "reporting.security.sessions"
    with django_assert_num_queries(20 if from_cache else 21):
        assert client.get(reverse("quality"), WEEKS).status_code == 200
