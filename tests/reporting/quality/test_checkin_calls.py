"""The quality page counts the calls nurses recorded about missed check-ins, per team and
week, beside the reminders sent (exact numbers)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import CheckinCall
from reporting.selectors.quality import quality_figures
from tests.factories import PatientFactory
from tests.reporting.quality.conftest import PERIOD, WEEK_1, WEEK_2, Programme, at

pytestmark = pytest.mark.django_db
WEEKS = {"start": "2026-11-16", "end": "2026-11-29"}


@pytest.fixture
def calls(programme: Programme) -> None:
    a_patient = PatientFactory.create(care_team=programme.team_a)
    b_patient = PatientFactory.create(care_team=programme.team_b)
    for patient, when, outcome in [
        (a_patient, at(16, 9), "no_answer"),  # week 1, Monday morning
        (a_patient, at(22, 23, 59), "all_well"),  # week 1, Sunday night (site time)
        (a_patient, at(23, 0, 1), "no_answer"),  # week 2, just after midnight
        (a_patient, at(15, 9), "no_answer"),  # the Sunday before: not counted
        (a_patient, at(30, 9), "no_answer"),  # the Monday after: not counted
        (b_patient, at(24, 9), "all_well"),  # another team
    ]:
        CheckinCall.objects.create(
            patient=patient, outcome=outcome, called_by=programme.nurse_a, called_at=when
        )


@pytest.mark.usefixtures("calls")
def test_calls_per_team_and_week(programme: Programme) -> None:
    figures = quality_figures(programme.nurse_a, PERIOD)
    first, second = figures.week_rows(WEEK_1)[0], figures.week_rows(WEEK_2)[0]
    assert (first.checkin_calls, second.checkin_calls) == (2, 1)
    both = quality_figures(programme.admin, PERIOD)
    assert [row.checkin_calls for row in both.week_rows(WEEK_2)] == [1, 1]


@pytest.mark.usefixtures("calls")
def test_the_page_and_the_csv_show_them(client: Client, programme: Programme) -> None:
    client.force_login(programme.nurse_a)
    html = client.get(reverse("quality"), WEEKS).content.decode()
    assert "Calls to patients about missed check-ins: 3." in html
    table = html.split('id="adherence"')[1].split("</table>")[0]
    assert "Calls made" in table
    client.force_login(programme.admin)
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("quality_csv"), WEEKS).content.decode()))
    )
    assert [(r["team"], r["week_start"], r["checkin_calls"]) for r in rows] == [
        ("A team", "2026-11-16", "2"),
        ("A team", "2026-11-23", "1"),
        ("B team", "2026-11-16", "0"),
        ("B team", "2026-11-23", "1"),
    ]


def test_no_calls_say_zero(client: Client, programme: Programme) -> None:
    client.force_login(programme.nurse_a)
    html: Any = client.get(reverse("quality"), WEEKS).content.decode()
    assert "Calls to patients about missed check-ins: 0." in html
