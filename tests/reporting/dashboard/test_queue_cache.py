"""The queue's total is counted once per alert change, never shown from before one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert, Notification, User
from reporting.selectors import queue_cache
from reporting.services import alert_acknowledge, alert_record_outcome, alert_resolve
from tests.factories import CareTeamFactory, NurseFactory, PatientFactory
from tests.reporting.dashboard.factories import raise_alert

pytestmark = pytest.mark.django_db


def shown_count(client: Any, **params: str) -> tuple[int, list[str]]:
    """The total the queue shows, and the SQL it ran to show it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("triage_queue"), params)
    assert response.status_code == 200
    match = re.search(r'id="queue-count" data-count="(\d+)"', response.content.decode())
    assert match, "the queue shows no count"
    return int(match.group(1)), [query["sql"] for query in queries.captured_queries]


def counted(sqls: list[str]) -> bool:
    return any("COUNT(" in sql.upper() for sql in sqls)


# Real commits: the cache hears of a change when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_a_second_look_reads_the_count_kept(nurse_client: Any, care_team: Any) -> None:
    for _ in range(3):
        raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    first, first_sql = shown_count(nurse_client)
    again, again_sql = shown_count(nurse_client)
    assert (first, again) == (3, 3)
    assert counted(first_sql)
    assert not counted(again_sql)


def test_a_new_alert_is_counted_at_once(nurse_client: Any, care_team: Any) -> None:
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    assert shown_count(nurse_client)[0] == 1
    raise_alert(PatientFactory.create(care_team=care_team), "monitor")
    total, sqls = shown_count(nurse_client)
    assert total == 2
    assert counted(sqls)


def test_a_resolved_alert_leaves_the_count(nurse_client: Any, nurse: User, care_team: Any) -> None:
    alerts = [raise_alert(PatientFactory.create(care_team=care_team), "urgent") for _ in range(2)]
    assert shown_count(nurse_client)[0] == 2
    done = alert_acknowledge(alert=alerts[0], nurse=nurse)
    assert shown_count(nurse_client)[0] == 2  # acknowledged is still open
    alert_record_outcome(alert=done, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    alert_resolve(alert=done, nurse=nurse)
    assert shown_count(nurse_client)[0] == 1
    assert shown_count(nurse_client, status="resolved")[0] == 1


def test_a_deleted_alert_leaves_the_count(nurse_client: Any, care_team: Any) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    assert shown_count(nurse_client)[0] == 1
    alert.patient.delete()  # the alert goes with its patient
    assert shown_count(nurse_client)[0] == 0


def test_each_filter_and_each_nurse_has_its_own_count(client: Any, care_team: Any) -> None:
    other_team = CareTeamFactory.create()
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    raise_alert(PatientFactory.create(care_team=care_team), "monitor")
    raise_alert(PatientFactory.create(care_team=other_team), "urgent")
    client.force_login(NurseFactory.create(care_teams=[care_team]))
    assert shown_count(client)[0] == 2
    assert shown_count(client, level="urgent")[0] == 1
    client.force_login(NurseFactory.create(care_teams=[care_team, other_team]))
    assert shown_count(client)[0] == 3
    assert shown_count(client, care_team=str(other_team.pk))[0] == 1


def test_a_lost_version_never_brings_back_an_old_count(nurse_client: Any, care_team: Any) -> None:
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    assert shown_count(nurse_client)[0] == 1
    cache.delete(queue_cache.VERSION_KEY)  # evicted: counts made under it stay behind
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    assert shown_count(nurse_client)[0] == 2


def test_without_a_cache_the_queue_still_counts(
    nurse_client: Any, care_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    for method in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(queue_cache.cache, method, down)
    total, sqls = shown_count(nurse_client)
    assert total == 1
    assert counted(sqls)


def test_the_count_moves_again_when_the_change_commits(
    django_capture_on_commit_callbacks: Any, nurse_client: Any, care_team: Any
) -> None:
    """A page counted between an alert's write and its commit keeps no stale count: the
    version moves again at the commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    before = cache.get(queue_cache.VERSION_KEY)
    for callback in callbacks:
        callback()
    assert cache.get(queue_cache.VERSION_KEY) not in (None, before)


# Real commits: the cache hears of a change when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_the_banner_is_read_once_per_change(nurse_client: Any, care_team: Any) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    notification = Notification.objects.filter(alert=alert).first()
    assert notification is not None
    notification.status, notification.failed_at = Notification.Status.FAILED, timezone.now()
    notification.save()
    first = nurse_client.get(reverse("triage_queue"))
    assert "could not be delivered" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = nurse_client.get(reverse("triage_queue"))
    assert "could not be delivered" in again.content.decode()
    assert not any("reporting_notification" in q["sql"] for q in queries.captured_queries)


def test_the_banner_goes_when_its_alert_is_resolved(
    nurse_client: Any, nurse: User, care_team: Any
) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    Notification.objects.filter(alert=alert).update(
        status=Notification.Status.FAILED, failed_at=timezone.now()
    )
    assert "could not be delivered" in nurse_client.get(reverse("triage_queue")).content.decode()
    done = alert_acknowledge(alert=alert, nurse=nurse)
    alert_record_outcome(alert=done, nurse=nurse, outcome=Alert.Outcome.SELF_CARE)
    alert_resolve(alert=done, nurse=nurse)
    body = nurse_client.get(reverse("triage_queue")).content.decode()
    assert "could not be delivered" not in body


# Real commits: the cache hears of a change when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_the_count_and_the_banner_are_asked_of_the_cache_together(
    nurse_client: Any, care_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One round trip to the cache for both, the versions and the values together."""
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    shown_count(nurse_client)
    asked: list[tuple[str, list[str]]] = []
    inside: list[str] = []  # a local-memory cache's get_many calls its get: count the outer
    for method in ("get", "get_many"):
        real = getattr(queue_cache.cache, method)

        def record(
            keys: Any, *args: Any, _real: Any = real, _method: str = method, **kw: Any
        ) -> Any:
            names = [keys] if isinstance(keys, str) else list(keys)
            if not inside and any(name.startswith("queue") for name in names):
                asked.append((_method, names))
            inside.append(_method)
            try:
                return _real(keys, *args, **kw)
            finally:
                inside.pop()

        monkeypatch.setattr(queue_cache.cache, method, record)
    total, sqls = shown_count(nurse_client)
    assert total == 1 and not counted(sqls)
    assert [method for method, _names in asked] == ["get_many"]
    versions, values = asked[0][1][:2], asked[0][1][2:]
    assert sorted(versions) == sorted(queue_cache.VERSION_KEYS.values())
    assert [name.split(":")[1] for name in values] == ["count", "failed"]


# Real commits: the cache hears of a change when its transaction commits.
@pytest.mark.django_db(transaction=True)
def test_a_notification_change_reads_the_banner_again_not_the_count(
    nurse_client: Any, care_team: Any
) -> None:
    alert = raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    shown_count(nurse_client)
    notification = Notification.objects.filter(alert=alert).first()
    assert notification is not None
    notification.status, notification.failed_at = Notification.Status.FAILED, timezone.now()
    notification.save()
    total, sqls = shown_count(nurse_client)
    assert total == 1 and not counted(sqls)
    assert any("reporting_notification" in sql for sql in sqls)


def test_a_change_moves_the_version_once_at_commit_not_before(
    django_capture_on_commit_callbacks: Any, care_team: Any
) -> None:
    """Inside a transaction nothing is sent to the cache until the commit, and then once,
    however many alerts it changed."""
    before = cache.get(queue_cache.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _ in range(3):
            raise_alert(PatientFactory.create(care_team=care_team), "urgent")
        assert cache.get(queue_cache.VERSION_KEY) == before
    bumps = [c for c in callbacks if c is queue_cache._AT_COMMIT[queue_cache.ALERTS]]
    assert len(bumps) == 1
    bumps[0]()
    assert cache.get(queue_cache.VERSION_KEY) not in (None, before)


def test_a_read_after_a_change_in_the_same_transaction_is_counted_and_not_kept(
    nurse_client: Any, care_team: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transaction holds a change the cache has not heard of: the count comes from the
    database, and is not kept under the old version for other pages."""
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    kept: list[str] = []
    real_set = queue_cache.cache.set

    def record(key: str, *args: Any, **kwargs: Any) -> Any:
        kept.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(queue_cache.cache, "set", record)
    first, first_sql = shown_count(nurse_client)
    raise_alert(PatientFactory.create(care_team=care_team), "urgent")
    again, again_sql = shown_count(nurse_client)
    assert (first, again) == (1, 2)
    assert counted(first_sql) and counted(again_sql)
    assert kept == []


def test_a_savepoint_rolled_back_takes_its_change_away(care_team: Any) -> None:
    patient = PatientFactory.create(care_team=care_team)
    assert queue_cache._changed_in_this_transaction() == frozenset()
    try:
        with transaction.atomic():
            raise_alert(patient, "urgent")
            assert queue_cache.ALERTS in queue_cache._changed_in_this_transaction()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert queue_cache.ALERTS not in queue_cache._changed_in_this_transaction()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_change_moves_the_version_at_once(care_team: Any) -> None:
    before = cache.get(queue_cache.VERSION_KEY)
    queue_cache.changed_at_commit(queue_cache.ALERTS)
    assert cache.get(queue_cache.VERSION_KEY) not in (None, before)
