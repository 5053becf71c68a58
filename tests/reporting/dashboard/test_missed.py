"""Missed check-ins: patients with no report in 7 days (enrollment counts when they never
reported), quietest first, with who to call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import User
from tests.factories import CaregiverLinkFactory, FamilyUserFactory, PatientFactory
from tests.reporting.dashboard.factories import SYMPTOMS, submit

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def enrolled(care_team: Any, ago: dt.timedelta, **fields: Any) -> Any:
    return PatientFactory.create(care_team=care_team, created_at=timezone.now() - ago, **fields)


def missed(client: Any) -> str:
    response = client.get(reverse("missed_checkins"))
    assert response.status_code == 200
    return response.content.decode().split('id="missed"')[1].split("</table>")[0]


def test_lists_quiet_patients_oldest_first_and_leaves_out_recent_ones(
    nurse_client: Any, care_team: Any, other_team_patient: Any
) -> None:
    quiet_8_days = enrolled(care_team, 60 * DAY, full_name="Patient Eight")
    submit(quiet_8_days, SYMPTOMS["routine"], ago=8 * DAY)
    quiet_20_days = enrolled(care_team, 60 * DAY, full_name="Patient Twenty")
    submit(quiet_20_days, SYMPTOMS["monitor"], ago=20 * DAY)
    never = enrolled(care_team, 10 * DAY, full_name="Patient Never")
    reported = enrolled(care_team, 60 * DAY, full_name="Patient Recent")
    submit(reported, SYMPTOMS["routine"], ago=2 * DAY)
    new = enrolled(care_team, 2 * DAY, full_name="Patient New")
    submit(other_team_patient, SYMPTOMS["routine"], ago=30 * DAY)

    table = missed(nurse_client)
    positions = [table.find(p.full_name) for p in (quiet_20_days, never, quiet_8_days)]
    assert -1 not in positions and positions == sorted(positions)
    for left_out in (reported, new, other_team_patient):
        assert left_out.full_name not in table
    assert "Never reported" in table


def test_shows_family_contacts_for_the_call(nurse_client: Any, care_team: Any) -> None:
    patient = enrolled(care_team, 30 * DAY)
    daughter = FamilyUserFactory.create(first_name="Mai", last_name="Lê", email="mai@example.org")
    CaregiverLinkFactory.create(user=daughter, patient=patient, relationship="child")
    table = missed(nurse_client)
    assert "Mai Lê" in table and "Son or daughter" in table and "mailto:mai@example.org" in table


def test_no_family_member_is_said_plainly(nurse_client: Any, care_team: Any) -> None:
    enrolled(care_team, 30 * DAY)
    assert "No family member linked" in missed(nurse_client)


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_patients(
    client: Any, nurse: User, care_team: Any, count: int, django_assert_max_num_queries: Any
) -> None:
    for _ in range(count):
        CaregiverLinkFactory.create(patient=enrolled(care_team, 30 * DAY))
    client.force_login(nurse)
    # session, user, groups, care teams, count, patients, their family links, their latest
    # calls; 9: the list and the staff sign-in's two-factor device.
    with django_assert_max_num_queries(9):
        table = missed(client)
    assert table.count("<tr>") == count + 1  # header row too
