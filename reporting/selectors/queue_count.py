"""How many alerts the queue's filters match, counted once per change rather than per page.

The queue refreshes every 20 s on every nurse's screen and its paginator needs the total:
with the bench's 20,000 open alerts a COUNT is 2-3 ms of the page (bench/http.py). An alert
that is saved or deleted moves a version number, at once and again when its transaction has
committed (a page counting in between would otherwise keep the count from before); a count
is kept in the cache under the version it was made at, so a page never shows a count from
before a committed change, and reads the database again only after one. Without a working
cache it simply counts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reporting.models import Alert

logger = logging.getLogger(__name__)

VERSION_KEY = "queue-count-version"
# A count is good until the next change; this only bounds what an idle cache keeps.
COUNT_SECONDS = 60 * 60


def _first_version() -> int:
    # The clock, not 1: a version lost from the cache starts again above every earlier one,
    # so counts kept under an old number are never read again.
    return time.time_ns()


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add(): two processes starting at once agree on one first version.
        cache.add(VERSION_KEY, _first_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


def queue_count(parts: Sequence[Any], count: Callable[[], int]) -> int:
    """The count of the alerts `parts` describes (the filters and the nurse's team ids),
    from the cache when no alert changed since it was counted; `count` counts."""
    try:
        key = f"queue-count:{_version()}:" + ":".join(str(part) for part in parts)
        known = cache.get(key)
    except Exception:  # the cache is down: the page still works, it counts
        logger.warning("queue count: cache unavailable", exc_info=True)
        return count()
    if known is not None:
        return int(known)
    number = count()
    try:
        cache.set(key, number, timeout=COUNT_SECONDS)
    except Exception:
        logger.warning("queue count: cache unavailable", exc_info=True)
    return number


def alerts_changed() -> None:
    """Every count made before now is out of date (after the change's commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): a new one is newer than the counts'
        cache.add(VERSION_KEY, _first_version(), timeout=None)
    except Exception:
        logger.warning("queue count: cache unavailable", exc_info=True)


@receiver(post_save, sender=Alert, dispatch_uid="queue_count_alert_saved")
@receiver(post_delete, sender=Alert, dispatch_uid="queue_count_alert_deleted")
def _alert_changed(**kwargs: Any) -> None:
    alerts_changed()
    transaction.on_commit(alerts_changed)
