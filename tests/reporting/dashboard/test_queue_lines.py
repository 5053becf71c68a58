"""The queue's page of rows (QueueLines) is what the ORM's queue query gives, whatever the
filters, the page or the nurse: its statement is compiled once per shape and takes each
call's team ids, not the first caller's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from reporting.models import Alert, User
from reporting.pages.dashboard import QUEUE_LINE_VALUES
from reporting.selectors.dashboard import QueueFilters, QueueLines, alert_queue
from reporting.services import alert_acknowledge, alert_record_outcome, alert_resolve
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db


def orm_rows(user: Any, filters: QueueFilters, start: int, stop: int) -> list[dict[str, Any]]:
    return list(alert_queue(user, filters).values(*QUEUE_LINE_VALUES)[start:stop])


def lines(user: Any, filters: QueueFilters, start: int, stop: int) -> list[dict[str, Any]]:
    total = alert_queue(user, filters).count()
    return QueueLines(user, filters, QUEUE_LINE_VALUES, total)[start:stop]


@pytest.fixture
def ward(care_team: Any, nurse: User) -> dict[str, Any]:
    other_team = CareTeamFactory.create()
    for number, level in enumerate(["urgent", "monitor", "emergency", "urgent", "monitor"]):
        patient = PatientFactory.create(care_team=care_team if number % 4 else other_team)
        raise_alert(patient, level, ago=dt.timedelta(minutes=10 * number))
    for level in ["urgent", "monitor"]:
        raise_alert(PatientFactory.create(care_team=care_team), level)
    done = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    alert_acknowledge(alert=done, nurse=nurse)
    alert_record_outcome(alert=done, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    alert_resolve(alert=done, nurse=nurse)
    both = NurseFactory.create(care_teams=[care_team, other_team])
    return {"team": care_team, "other_team": other_team, "both": both}


@pytest.mark.parametrize(
    "filters",
    [
        QueueFilters(),
        QueueFilters(level="urgent"),
        QueueFilters(status="new"),
        QueueFilters(status="resolved"),
        QueueFilters(status="all"),
    ],
    ids=["open", "urgent", "new", "resolved", "all"],
)
@pytest.mark.parametrize(("start", "stop"), [(0, 50), (0, 3), (3, 6)], ids=["all", "p1", "p2"])
def test_the_page_is_the_orms_rows_in_the_orms_order(
    ward: dict[str, Any], nurse: User, filters: QueueFilters, start: int, stop: int
) -> None:
    for user in (nurse, ward["both"]):
        expected = orm_rows(user, filters, start, stop)
        assert lines(user, filters, start, stop) == expected
    assert lines(nurse, QueueFilters(status="all"), 0, 50)  # the ward has some, of course


def test_one_team_of_two_and_each_nurse_sees_only_her_teams(
    ward: dict[str, Any], nurse: User
) -> None:
    both = ward["both"]
    for team in (ward["team"], ward["other_team"]):
        filters = QueueFilters(care_team_id=team.pk)
        rows = lines(both, filters, 0, 50)
        assert rows == orm_rows(both, filters, 0, 50) and rows
    # Two nurses of one team each: the same compiled statement, each with her own team.
    alone = NurseFactory.create(care_teams=[ward["other_team"]])
    mine = {row["pk"] for row in lines(nurse, QueueFilters(), 0, 50)}
    theirs = {row["pk"] for row in lines(alone, QueueFilters(), 0, 50)}
    assert mine and theirs and not mine & theirs
    assert Alert.objects.filter(pk__in=mine, care_team=ward["team"]).count() == len(mine)
    # Another team's id in the filter finds nothing of it.
    assert lines(nurse, QueueFilters(care_team_id=ward["other_team"].pk), 0, 50) == []


def test_someone_who_is_not_a_nurse_gets_no_rows(ward: dict[str, Any], family: User) -> None:
    for user in (family, AnonymousUser()):
        assert QueueLines(user, QueueFilters(), QUEUE_LINE_VALUES, 10)[0:10] == []
