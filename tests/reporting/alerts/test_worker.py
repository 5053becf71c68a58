"""Integration: real Redis, real Celery workers (subprocesses), the real test database.

Tests that kill the broker or a worker start their own redis-server on a free port
(`private_redis`) and stop only it; the others use REDIS_URL when it is set (CI), a private
redis-server otherwise. E-mails go to files, where they are counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from reporting.models import Notification, Report
from reporting.notifications import publish_delivery
from reporting.services import alert_raise_for_report, notifications_sweep, report_submit
from tests.factories import (
    CaregiverLinkFactory,
    CareTeamFactory,
    FamilyUserFactory,
    NurseFactory,
    PatientFactory,
)
from tests.reporting.alerts.helpers import URGENT, make_report
from tests.reporting.alerts.webhook_server import webhook_receiver
from tests.reporting.alerts.worker import delivered_emails, publishing_to, wait_for, workers
from tests.support.alerts import alert_of
from tests.support.redis_server import private_redis

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker_url() -> Iterator[str]:
    if django_settings.REDIS_URL:
        yield django_settings.REDIS_URL
    else:
        with private_redis() as server:
            yield server.url


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "mail").mkdir()
    return {"mail_dir": tmp_path / "mail", "log_dir": tmp_path}


def _family_of(patient: Any) -> Any:
    family = FamilyUserFactory.create()
    CaregiverLinkFactory.create(user=family, patient=patient)
    return family


def _status(pk: int) -> str:
    return Notification.objects.get(pk=pk).status


def test_a_submitted_urgent_report_produces_a_delivered_email(
    broker_url: str, dirs: dict[str, Path]
) -> None:
    team = CareTeamFactory.create(name="Ward 3 oncology")
    nurse = NurseFactory.create(care_teams=[team])
    patient = PatientFactory.create(care_team=team, full_name="Tran Van Binh")
    family = _family_of(patient)
    with publishing_to(broker_url), workers(1, broker_url=broker_url, **dirs) as started:
        report = report_submit(
            patient=patient, reported_by=family, reporter_role="family", symptoms=URGENT
        )
        row = Notification.objects.get(alert__reports=report)
        wait_for(lambda: _status(row.pk) == "sent", "the e-mail", workers=started)
    [message] = delivered_emails(dirs["mail_dir"])
    assert message["To"] == nurse.email
    assert message["X-ImmunoWatch-Idempotency-Key"] == row.idempotency_key
    assert message["Subject"] == "[ImmunoWatch] New URGENT alert for a patient of Ward 3 oncology"
    body = message.get_payload()
    assert isinstance(body, str)  # one plain-text part
    assert f"/triage/alerts/{alert_of(report).pk}/" in body
    assert "Tran Van Binh" not in body and "diarrh" not in body.lower()
    assert alert_of(report).events.filter(kind="notified").count() == 1


def test_two_workers_and_duplicate_messages_deliver_200_alerts_exactly_once_each(
    broker_url: str, dirs: dict[str, Path]
) -> None:
    team = CareTeamFactory.create()
    NurseFactory.create(care_teams=[team])  # one e-mail per alert: no phone, no webhook
    patient = PatientFactory.create(care_team=team)
    with publishing_to(broker_url), workers(2, broker_url=broker_url, **dirs) as started:
        for index in range(200):
            # Each commits on its own and is enqueued after commit (one patient each: a
            # patient has one open alert at a time)...
            one = patient if index == 0 else PatientFactory.create(care_team=team)
            alert_raise_for_report(report=make_report(one, URGENT))
        ids = list(Notification.objects.values_list("pk", flat=True))
        assert len(ids) == 200
        for pk in ids:
            # ...and is then enqueued again, as a sweep racing a slow worker would.
            publish_delivery(pk)
        wait_for(
            lambda: Notification.objects.filter(status="sent").count() == 200,
            "200 deliveries",
            workers=started,
        )
        # All 400 messages done (200 sent, 200 skipped), not only the 200 rows: the 200
        # batches of one e-mail each enqueued after commit, and the 200 single-id duplicates.
        done = re.compile(r"deliver_notifications?\[[^\]]+\] succeeded")
        wait_for(
            lambda: sum(len(done.findall(w.log())) for w in started) >= 400,
            "the duplicates to be consumed",
            workers=started,
        )
    emails = delivered_emails(dirs["mail_dir"])
    # Only ours: on a shared CI Redis a stale task of another test could send mail too.
    keys = [key for m in emails if (key := m["X-ImmunoWatch-Idempotency-Key"])]
    assert len(keys) == 200
    assert set(keys) == set(Notification.objects.values_list("idempotency_key", flat=True))
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_with_redis_down_the_report_is_stored_and_the_sweep_delivers_it_later(
    dirs: dict[str, Path], settings: Any
) -> None:
    team = CareTeamFactory.create()
    nurse = NurseFactory.create(care_teams=[team])
    patient = PatientFactory.create(care_team=team)
    family = _family_of(patient)
    with (
        private_redis() as server,
        publishing_to(server.url),
        workers(1, broker_url=server.url, **dirs) as started,
    ):
        server.stop()
        report = report_submit(
            patient=patient, reported_by=family, reporter_role="family", symptoms=URGENT
        )
        assert Report.objects.filter(pk=report.pk, level="urgent").exists()
        row = Notification.objects.get(alert__reports=report)
        assert (row.status, row.attempts) == ("pending", 0)
        server.start()  # the same port: the worker and the publisher reconnect
        settings.IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS = 0  # don't wait two minutes
        assert notifications_sweep() == 1
        wait_for(lambda: _status(row.pk) == "sent", "the swept e-mail", workers=started)
    [message] = delivered_emails(dirs["mail_dir"])
    assert message["To"] == nurse.email


def test_a_worker_killed_mid_send_does_not_lose_the_notification(dirs: dict[str, Path]) -> None:
    with (
        private_redis() as server,
        publishing_to(server.url),
        webhook_receiver(hang_first=True) as pager,
    ):
        team = CareTeamFactory.create(webhook_url=pager.url)
        NurseFactory.create(care_teams=[team], email="")  # the pager is the only recipient
        patient = PatientFactory.create(care_team=team)
        family = _family_of(patient)
        lease = {"IMMUNOWATCH_NOTIFICATION_LEASE_SECONDS": "3"}
        with workers(1, broker_url=server.url, **dirs, **lease) as [first]:
            report = report_submit(
                patient=patient, reported_by=family, reporter_role="family", symptoms=URGENT
            )
            row = Notification.objects.get(alert__reports=report)
            wait_for(pager.first_arrived.is_set, "the webhook call", workers=[first])
            assert _status(row.pk) == "sending"
            first.kill()  # SIGKILL, mid-request: the message is never acknowledged
        pager.release.set()
        row.refresh_from_db()
        assert (row.status, row.attempts, pager.requests) == ("sending", 1, [])
        lease_expires_at = row.lease_expires_at
        assert lease_expires_at is not None
        wait_for(lambda: timezone.now() > lease_expires_at, "the dead worker's lease")
        with workers(1, broker_url=server.url, **dirs, **lease) as started:
            assert notifications_sweep() == 1
            wait_for(lambda: _status(row.pk) == "sent", "the resent webhook", workers=started)
    row.refresh_from_db()
    assert row.attempts == 2
    [request] = pager.requests
    assert request.headers["x-immunowatch-idempotency-key"] == row.idempotency_key
