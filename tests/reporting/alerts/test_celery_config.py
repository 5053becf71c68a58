"""The Celery settings that at-least-once delivery on Redis relies on."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from celery.schedules import crontab
from django.conf import settings

from config.celery import app
from reporting.tasks.notifications import deliver_notification


def test_late_acks_one_message_at_a_time_and_requeue_on_a_lost_worker() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_publish_retry is False


def test_no_task_or_countdown_outlives_the_redis_visibility_timeout(monkeypatch: Any) -> None:
    # Read as production would see it, with REDIS_URL set.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    import importlib

    import config.settings as production

    production = importlib.reload(production)
    try:
        visibility = production.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert isinstance(visibility, int)
        assert visibility > production.CELERY_TASK_TIME_LIMIT
        assert deliver_notification.time_limit < visibility
        assert deliver_notification.retry_backoff_max < visibility
        # Publishing to a dead Redis gives up instead of retrying for seconds.
        max_retries = production.CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"]
        assert isinstance(max_retries, int) and max_retries <= 1
    finally:
        monkeypatch.undo()  # the environment as it was (CI sets REDIS_URL)
        importlib.reload(production)


def test_the_lease_outlives_the_delivery_task() -> None:
    # A live sender is never taken over; only a dead one's claim expires.
    assert deliver_notification.time_limit < settings.IMMUNOWATCH_NOTIFICATION_LEASE_SECONDS
    assert deliver_notification.retry_backoff_max < settings.IMMUNOWATCH_OUTBOX_SWEEP_AFTER_SECONDS


def test_the_beat_sweeps_every_minute_and_sends_digests_on_the_hour() -> None:
    schedule = app.conf.beat_schedule
    for name in ("escalate-overdue-alerts", "sweep-notification-outbox"):
        assert schedule[name]["schedule"] == 60
        assert 0 < schedule[name]["options"]["expires"] < 60
    digest = schedule["send-monitor-digests"]
    assert digest["schedule"] == crontab(minute=0, hour=f"*/{settings.IMMUNOWATCH_DIGEST_HOURS}")
    assert digest["options"]["expires"] > 0
    for entry in schedule.values():
        assert entry["task"] in app.tasks


def test_the_batch_task_has_the_delivery_guarantees_of_the_single_one() -> None:
    from reporting.tasks.notifications import deliver_notifications

    for option in (
        "acks_late",
        "reject_on_worker_lost",
        "autoretry_for",
        "retry_backoff",
        "retry_backoff_max",
        "retry_jitter",
        "max_retries",
        "soft_time_limit",
        "time_limit",
    ):
        assert getattr(deliver_notifications, option) == getattr(deliver_notification, option)
    assert deliver_notifications.acks_late and deliver_notifications.reject_on_worker_lost


def test_workers_keep_database_connections_between_tasks(monkeypatch: Any) -> None:
    # Celery's Django fix-up would close them around every task; Django's per-request policy
    # (CONN_MAX_AGE, health checks) applies instead, except to eager tasks (tests).
    import config.celery as celery_module

    assert app.conf.db_reuse_max >= 100
    calls: list[bool] = []
    monkeypatch.setattr(celery_module, "close_old_connections", lambda: calls.append(True))

    for eager in (False, True):
        task = SimpleNamespace(request=SimpleNamespace(is_eager=eager))
        celery_module._recycle_database_connections(sender=task)
    assert calls == [True]
