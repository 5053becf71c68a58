"""What the queue shows on every refresh that changes rarely: worked out once per change.

The queue refreshes every 20 s on every nurse's screen. Its paginator needs the total (with
the bench's 20,000 open alerts a COUNT is 2-3 ms of the page, bench/http.py), and its banner
asks for undelivered notifications, which are almost always none. Each is kept in the cache
under versions of what it depends on: an alert saved or deleted changes the alerts' version,
a notification that fails (or is saved) the notifications' version, once when its
transaction commits (what another page computed before the commit stays under the old
version, never read again) and once at the change itself (for a read later in the same
transaction). A page therefore never shows a count or a banner from before a committed
change; without a working cache it simply reads the database.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reporting.models import Alert, Notification

logger = logging.getLogger(__name__)

T = TypeVar("T")

ALERTS = "alerts"
NOTIFICATIONS = "notifications"
VERSION_KEYS = {ALERTS: "queue-count-version", NOTIFICATIONS: "queue-notifications-version"}
VERSION_KEY = VERSION_KEYS[ALERTS]
# A count is good until the next change; this only bounds what an idle cache keeps.
COUNT_SECONDS = 60 * 60


def _new_version() -> str:
    # Any value never used before will do (the keys only need to differ, not to grow): the
    # clock and a random part, so that a version lost from the cache, or set by two
    # processes at once, never brings back values kept under an old one. One SET, no INCR
    # (Django's incr is two round trips to Redis).
    return f"{time.time_ns()}-{secrets.token_hex(4)}"


def _versions(kinds: Sequence[str]) -> list[str]:
    keys = [VERSION_KEYS[kind] for kind in kinds]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add(): two processes starting at once agree on one first version.
            cache.add(key, _new_version(), timeout=None)
            found[key] = cache.get(key)
    return [str(found[key]) for key in keys]


def remembered(
    name: str, parts: Sequence[Any], compute: Callable[[], T], *, kinds: Sequence[str], timeout: int
) -> T:
    """`compute()`, or what it gave last for these `parts` when nothing of `kinds` changed
    since (and at most `timeout` seconds ago)."""
    try:
        versions = _versions(kinds)
        key = ":".join(["queue", name, *map(str, versions), *map(str, parts)])
        known = cache.get(key)
    except Exception as error:  # the cache is down: the page still works, it reads the database
        logger.warning("queue %s: cache unavailable (%s)", name, type(error).__name__)
        return compute()
    if known is not None:
        return known  # type: ignore[no-any-return,unused-ignore]
    value = compute()
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as error:
        logger.warning("queue %s: cache unavailable (%s)", name, type(error).__name__)
    return value


def queue_count(parts: Sequence[Any], count: Callable[[], int]) -> int:
    """The count of the alerts `parts` describes (the filters and the nurse's team ids),
    from the cache when no alert changed since it was counted; `count` counts."""
    return remembered("count", parts, count, kinds=[ALERTS], timeout=COUNT_SECONDS)


def changed(kind: str) -> None:
    """Everything kept that depends on `kind` is out of date."""
    try:
        cache.set(VERSION_KEYS[kind], _new_version(), timeout=None)
    except Exception as error:
        logger.warning("queue cache: unavailable (%s)", type(error).__name__)


def changed_now_and_at_commit(kind: str) -> None:
    changed(kind)
    transaction.on_commit(lambda: changed(kind))


@receiver(post_save, sender=Alert, dispatch_uid="queue_cache_alert_saved")
@receiver(post_delete, sender=Alert, dispatch_uid="queue_cache_alert_deleted")
def _alert_changed(**kwargs: Any) -> None:
    changed_now_and_at_commit(ALERTS)


@receiver(post_save, sender=Notification, dispatch_uid="queue_cache_notification_saved")
@receiver(post_delete, sender=Notification, dispatch_uid="queue_cache_notification_deleted")
def _notification_changed(**kwargs: Any) -> None:
    changed_now_and_at_commit(NOTIFICATIONS)
