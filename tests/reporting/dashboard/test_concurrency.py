"""Two nurses press "Acknowledge" at the same moment: exactly one gets the alert.

Real threads, each with its own database connection, so the row lock (PostgreSQL) or the
write lock of the IMMEDIATE transaction (SQLite) is what decides, not test ordering.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from reporting.models import Alert, AlertEvent, User
from reporting.services import AlertActionError, alert_acknowledge
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert

NURSES = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_acknowledgements_leave_one_claimant_and_one_event() -> None:
    team = CareTeamFactory.create()
    nurses = [NurseFactory.create(care_teams=[team]) for _ in range(NURSES)]
    alert = raise_alert(PatientFactory.create(care_team=team), "emergency")
    start = threading.Barrier(NURSES)
    results: dict[int, str] = {}

    def press(nurse: User) -> None:
        try:
            start.wait()
            alert_acknowledge(alert=Alert.objects.get(pk=alert.pk), nurse=nurse)
            results[nurse.pk] = "acknowledged"
        except AlertActionError as error:
            results[nurse.pk] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(nurse,)) for nurse in nurses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [pk for pk, result in results.items() if result == "acknowledged"]
    assert len(results) == NURSES and len(winners) == 1
    alert.refresh_from_db()
    assert alert.claimed_by_id == winners[0]
    winner = alert.claimed_by
    assert winner is not None
    for pk, result in results.items():
        if pk != winners[0]:
            assert result == f"{winner.get_full_name()} has already acknowledged this alert."
    assert AlertEvent.objects.filter(alert=alert, kind=AlertEvent.Kind.ACKNOWLEDGED).count() == 1
