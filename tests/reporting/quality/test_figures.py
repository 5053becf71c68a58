"""Each quality figure from known data (exact numbers), on SQLite and on PostgreSQL (CI)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.selectors.quality import quality_figures, quality_period, quality_teams
from tests.reporting.quality.conftest import PERIOD, WEEK_1, WEEK_2, Programme

pytestmark = pytest.mark.django_db


def test_adherence_per_team_and_week(programme: Programme) -> None:
    figures = quality_figures(programme.nurse_a, PERIOD)
    first, second = figures.week_rows(WEEK_1)[0], figures.week_rows(WEEK_2)[0]
    assert (first.enrolled, first.patients_reporting, first.reports) == (2, 1, 2)
    assert first.missed_checkins == 1
    assert (second.enrolled, second.patients_reporting, second.reports) == (3, 3, 3)
    assert second.missed_checkins == 0
    assert (first.reminders, second.reminders) == (0, 1)


def test_alert_burden(programme: Programme) -> None:
    figures = quality_figures(programme.nurse_a, PERIOD)
    first, second = figures.week_rows(WEEK_1)[0], figures.week_rows(WEEK_2)[0]
    assert first.alerts == {"emergency": 0, "urgent": 0, "monitor": 1}
    assert second.alerts == {"emergency": 0, "urgent": 1, "monitor": 1}
    assert first.alerts_by_source == {"report": 1, "family_note": 0, "lab_panel": 0}
    assert second.alerts_by_source == {"report": 1, "family_note": 0, "lab_panel": 1}
    assert (first.joined_reports, second.joined_reports) == (1, 0)
    assert (first.snoozed_reports, second.snoozed_reports) == (0, 1)


def test_response_times_against_the_targets(programme: Programme) -> None:
    figures = quality_figures(programme.nurse_a, PERIOD)
    first, second = figures.week_rows(WEEK_1)[0], figures.week_rows(WEEK_2)[0]
    assert first.ack_minutes == pytest.approx([120, 120])
    assert second.ack_minutes == pytest.approx([90, 90])
    assert (first.overdue, second.overdue) == (0, 2)  # a2 acknowledged late, a3 never
    assert (second.escalated_alerts, second.escalations) == (1, 1)
    assert (first.resolved, second.resolved) == (1, 1)
    assert first.resolve_hours == pytest.approx([24, 24])
    assert second.resolve_hours == pytest.approx([12, 12])
    urgent, monitor = figures.response["urgent"], figures.response["monitor"]
    assert (urgent["alerts"], urgent["acknowledged"], urgent["overdue"]) == (1, 1, 1)
    assert (urgent["median"], urgent["target"]) == (pytest.approx(90), 60)
    assert (monitor["alerts"], monitor["acknowledged"], monitor["overdue"]) == (2, 1, 1)
    assert monitor["median"] == pytest.approx(120)
    assert figures.response["emergency"]["alerts"] == 0
    assert figures.ack_by_week[WEEK_1] == pytest.approx([120, 120])
    # Resolved after 24 h and 12 h: median 18 h; 90th percentile 12 + 0.9 * 12 = 22.8 h.
    assert figures.resolve_hours == pytest.approx([18, 22.8])
    assert figures.outcomes == {"self_care": 1, "clinic_visit": 1}


def test_delivery_by_channel(programme: Programme) -> None:
    figures = quality_figures(programme.nurse_a, PERIOD)
    first, second = figures.week_rows(WEEK_1)[0], figures.week_rows(WEEK_2)[0]
    assert first.notifications == {"email": {"sent": 1, "failed": 0, "retried": 0}}
    assert second.notifications == {
        "email": {"sent": 1, "failed": 0, "retried": 1},
        "sms": {"sent": 0, "failed": 1, "retried": 1},
    }


def test_clinical_figures(programme: Programme) -> None:
    figures = quality_figures(programme.nurse_a, PERIOD)
    assert figures.irae_by_regimen == {("atezolizumab + bevacizumab", "gastrointestinal"): 2}
    # Treatment started 26 Oct: 17 Nov is day 22 and 24 Nov day 29, both weeks 3-5.
    assert figures.irae_by_treatment_week == {("3-5", "gastrointestinal"): 2}
    assert figures.grade_3_4_by_irae == {"diarrhea": 1}
    assert [r.grade_3_4 for r in (figures.week_rows(WEEK_1) + figures.week_rows(WEEK_2))] == [0, 1]


def test_a_nurse_sees_her_teams_only_and_an_admin_all(programme: Programme) -> None:
    assert list(quality_teams(programme.nurse_a)) == [programme.team_a]
    assert list(quality_teams(programme.admin)) == [programme.team_a, programme.team_b]
    theirs = quality_figures(programme.nurse_b, PERIOD)
    assert theirs.week_rows(WEEK_1)[0].alerts["emergency"] == 1
    assert theirs.week_rows(WEEK_1)[0].reports == 1
    everything = quality_figures(programme.admin, PERIOD)
    assert [r.reports for r in everything.week_rows(WEEK_1)] == [2, 1]
    only_b = quality_figures(programme.admin, PERIOD, [programme.team_b.pk])
    assert [team.name for team in only_b.teams] == ["B team"]
    # A nurse asking for another team's figures gets none of them.
    assert quality_figures(programme.nurse_a, PERIOD, [programme.team_b.pk]).teams == []


def test_a_family_member_has_no_teams(programme: Programme, family: Any) -> None:
    assert not quality_teams(family).exists()


def test_the_default_period_is_the_last_twelve_weeks() -> None:
    import datetime as dt

    period = quality_period(today=dt.date(2026, 12, 2))  # a Wednesday
    assert period.weeks[-1] == dt.date(2026, 11, 30)
    assert len(period.weeks) == 12 and period.weeks[0] == dt.date(2026, 9, 14)
    chosen = quality_period(dt.date(2026, 11, 18), dt.date(2026, 11, 24))
    assert chosen.weeks == [dt.date(2026, 11, 16), dt.date(2026, 11, 23)]


@pytest.mark.parametrize("more", [0, 40])
def test_a_fixed_number_of_queries_whatever_the_data(programme: Programme, more: int) -> None:
    from tests.factories import PatientFactory
    from tests.reporting.quality.conftest import _report, at

    for index in range(more):
        patient = PatientFactory.create(care_team=programme.team_a)
        _report(patient, at(17 + index % 10, 9), "routine")
    with CaptureQueriesContext(connection) as queries:
        quality_figures(programme.nurse_a, PERIOD)
    assert len(queries.captured_queries) == 18  # the groups of the user, then the figures
