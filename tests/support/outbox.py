"""Deliver what the notification outbox holds, in the test's own thread.

Every message of the app is a `Notification` row first; a Celery worker delivers it. Tests of
what a message says deliver the pending rows here, through the real channels (Django's
locmem e-mail backend, the locmem SMS backend), instead of starting a worker.
"""

from __future__ import annotations

import contextlib

from reporting.models import Notification
from reporting.notifications import NotificationRetryLater, notifications_deliver


def deliver_outbox() -> list[Notification]:
    """Send every pending notification once; the rows tried, as they ended."""
    ids = list(
        Notification.objects.filter(status=Notification.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The rows that fail for now are pending again, as after a real attempt.
    if ids:
        with contextlib.suppress(NotificationRetryLater):
            notifications_deliver(notification_ids=ids)
    return list(Notification.objects.filter(pk__in=ids).order_by("pk"))
