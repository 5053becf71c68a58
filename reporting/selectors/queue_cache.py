"""What the queue shows on every refresh that changes rarely: worked out once per change.

The queue refreshes every 20 s on every nurse's screen. Its paginator needs the total (with
the bench's 20,000 open alerts a COUNT is 2-3 ms of the page, bench/http.py), and its banner
asks for undelivered notifications, which are almost always none. Each is kept in the cache
with the versions of what it depends on, and used while they are current (versions and
values are read in one round trip): an alert saved or deleted changes the alerts' version,
a notification that fails (or is saved) the notifications' version, when its
transaction commits (what another page computed before the commit is kept with the old
version, never used again). A read later in the same transaction (after the change, before
the commit) goes to the database and keeps nothing: its transaction holds a change the cache
has not heard of yet. A page therefore never shows a count or a banner from before a change
it could see; without a working cache it simply reads the database.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

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


def _versions(kinds: Sequence[str], found: dict[str, Any]) -> tuple[str, ...]:
    """The kinds' current versions, from what the cache gave (`found`); one that is missing
    (evicted, or the very first) is made."""
    keys = [VERSION_KEYS[kind] for kind in kinds]
    for key in keys:
        if key not in found:
            # add(): two processes starting at once agree on one first version.
            cache.add(key, _new_version(), timeout=None)
            found[key] = cache.get(key)
    return tuple(str(found[key]) for key in keys)


@dataclass(frozen=True, slots=True)
class Wanted(Generic[T]):
    """A value to remember: `compute()`, kept for these `parts` until something of `kinds`
    changes (and at most `timeout` seconds)."""

    name: str
    parts: Sequence[Any]
    compute: Callable[[], T]
    kinds: Sequence[str]
    timeout: int


def remembered_all(wanted: Sequence[Wanted[Any]]) -> list[Any]:
    """Each `compute()`, or what it gave last when nothing of its kinds changed since: all
    of them in one round trip to the cache, whatever their number. Each value is kept with
    the versions it was worked out under, and used only while they are still the current
    ones: the versions and the values are read together."""
    pending = _changed_in_this_transaction()
    if pending:
        fresh = [item for item in wanted if pending.isdisjoint(item.kinds)]
        remembered = iter(remembered_all(fresh) if fresh else [])
        return [
            next(remembered) if pending.isdisjoint(item.kinds) else item.compute()
            for item in wanted
        ]
    try:
        kinds = sorted({kind for item in wanted for kind in item.kinds})
        keys = [":".join(["queue", item.name, *map(str, item.parts)]) for item in wanted]
        found = cache.get_many([VERSION_KEYS[kind] for kind in kinds] + keys)
        current = dict(zip(kinds, _versions(kinds, found), strict=True))
    except Exception as error:  # the cache is down: the page still works, it reads the database
        logger.warning("queue cache: unavailable (%s)", type(error).__name__)
        return [item.compute() for item in wanted]
    values = []
    for item, key in zip(wanted, keys, strict=True):
        versions = tuple(current[kind] for kind in item.kinds)
        kept = found.get(key)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == versions:
            values.append(kept[1])
            continue
        value = item.compute()
        try:
            cache.set(key, (versions, value), timeout=item.timeout)
        except Exception as error:
            logger.warning("queue %s: cache unavailable (%s)", item.name, type(error).__name__)
        values.append(value)
    return values


def counted(parts: Sequence[Any], count: Callable[[], int]) -> Wanted[int]:
    """The count of the alerts `parts` describes (the filters and the nurse's team ids),
    kept until an alert changes; `count` counts."""
    return Wanted("count", parts, count, [ALERTS], COUNT_SECONDS)


def changed(kind: str) -> None:
    """Everything kept that depends on `kind` is out of date."""
    try:
        cache.set(VERSION_KEYS[kind], _new_version(), timeout=None)
    except Exception as error:
        logger.warning("queue cache: unavailable (%s)", type(error).__name__)


# What each kind's change runs at commit: one object per kind, so that the transaction's
# pending callbacks say which kinds it changed.
_AT_COMMIT = {kind: partial(changed, kind) for kind in VERSION_KEYS}


def _changed_in_this_transaction() -> frozenset[str]:
    """The kinds changed by the transaction in progress, not committed yet (none outside one).

    Read from the callbacks it will run at its commit: a savepoint rolled back takes its own
    away, a rollback all of them."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return frozenset()
    waiting = {id(callback) for _savepoints, callback, _robust in connection.run_on_commit}
    return frozenset(kind for kind, bump in _AT_COMMIT.items() if id(bump) in waiting)


def changed_at_commit(kind: str) -> None:
    """Something of `kind` changed: outside a transaction (committed already) the version
    moves now, inside one at its commit, once however many rows it changes (a round trip to
    the cache less for each report that opens an alert)."""
    if not transaction.get_connection().in_atomic_block:
        changed(kind)
    elif kind not in _changed_in_this_transaction():
        transaction.on_commit(_AT_COMMIT[kind], robust=True)


@receiver(post_save, sender=Alert, dispatch_uid="queue_cache_alert_saved")
@receiver(post_delete, sender=Alert, dispatch_uid="queue_cache_alert_deleted")
def _alert_changed(**kwargs: Any) -> None:
    changed_at_commit(ALERTS)


@receiver(post_save, sender=Notification, dispatch_uid="queue_cache_notification_saved")
@receiver(post_delete, sender=Notification, dispatch_uid="queue_cache_notification_deleted")
def _notification_changed(**kwargs: Any) -> None:
    changed_at_commit(NOTIFICATIONS)
