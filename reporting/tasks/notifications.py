"""Delivery of the notification outbox, and the beat's sweeps (config/celery.py schedules them).

Thin: each task takes ids (or nothing), and calls a service.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from celery import shared_task
from django.conf import settings

from reporting import notifications as notification_services
from reporting.services import alerts as alert_services

# Shared by the single-id and the batch delivery task.
DELIVERY_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (notification_services.NotificationRetryLater,),
    # Countdowns stay short (max 60 s, far below the Redis visibility timeout); the row's
    # attempt count, not Celery's, decides when to give up, since the sweep may re-enqueue.
    # A batch retries with the same ids: only the rows pending again are claimed and resent.
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": settings.IMMUNOWATCH_NOTIFICATION_MAX_ATTEMPTS,
    # Below the notification lease (180 s), so a live sender is never taken over; a batch
    # starts no send after BATCH_SEND_SECONDS (30 s), so it ends inside the soft limit.
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(name=notification_services.DELIVER_TASK, **DELIVERY_OPTIONS)
def deliver_notification(notification_id: int) -> str:
    return str(notification_services.notification_deliver(notification_id=notification_id))


@shared_task(name=notification_services.DELIVER_BATCH_TASK, **DELIVERY_OPTIONS)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    outcomes = notification_services.notifications_deliver(notification_ids=notification_ids)
    return dict(Counter(str(outcome) for outcome in outcomes.values()))


@shared_task(name="reporting.tasks.notifications.sweep_outbox", soft_time_limit=50, time_limit=55)
def sweep_outbox() -> int:
    return notification_services.notifications_sweep()


@shared_task(
    name="reporting.tasks.notifications.escalate_overdue_alerts", soft_time_limit=50, time_limit=55
)
def escalate_overdue_alerts() -> int:
    return alert_services.alerts_escalate_overdue()


@shared_task(name="reporting.tasks.notifications.send_digests", soft_time_limit=240)
def send_digests() -> int:
    return notification_services.digests_send()
