"""Sessions read from the cache (Redis) and kept in the database: Django's `cached_db`,
made safe for a health app.

- A copy in the cache carries the session's end and is not used after it (the cache's own
  timeout is no guarantee: it runs on Redis's clock).
- A copy in the cache lives at most CACHE_SECONDS, not the session's whole 12 hours: if
  signing out could not delete it (Redis unreachable at that moment), it is gone within
  minutes all the same, and a signed-out session cannot be used from the cache for long.
  A session read once in five minutes from the database costs nothing.
- Everything falls back to the database while Redis is down: reading (Django's store does
  that already), writing, checking a new key (`exists`, at every sign-in) and deleting
  (signing out, the new key of a sign-in), which in Django's store raise. A dead Redis slows
  signing in down; it never stops it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 5 * 60


def copy_for_cache(data: dict[str, Any], expires_at: float) -> tuple[float, dict[str, Any]]:
    """What the cache keeps of a session: its data and when it ends (a Unix time), checked
    at each read, so that a copy never outlives the session whatever the cache's own clock
    and timeout."""
    return (expires_at, data)


class SessionStore(cached_db.SessionStore):
    # Not Django's own prefix: its copies (a bare dict) and ours never meet in the cache.
    cache_key_prefix = "immunowatch.sessions.cached."
    # Set by Django's stores, not declared by django-stubs.
    _cache: BaseCache
    _session: dict[str, Any]

    def load(self) -> dict[str, Any]:
        try:
            kept = self._cache.get(self.cache_key)
        except Exception as error:
            logger.warning(
                "sessions: cache unavailable, reading the database (%s)", type(error).__name__
            )
            kept = None
        if isinstance(kept, tuple) and len(kept) == 2:  # anything else: not ours, a miss
            expires_at, data = kept
            if time.time() < expires_at:
                return data
        row = self._get_session_from_db()  # type: ignore[attr-defined]
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._keep(data, row.expire_date.timestamp())
        return data

    def save(self, must_create: bool = False) -> None:
        DatabaseSessionStore.save(self, must_create)
        self._keep(self._session, time.time() + self.get_expiry_age())

    def _keep(self, data: dict[str, Any], expires_at: float) -> None:
        seconds = min(CACHE_SECONDS, max(1, int(expires_at - time.time())))
        try:
            self._cache.set(self.cache_key, copy_for_cache(data, expires_at), seconds)
        except Exception as error:
            logger.warning("sessions: cache unavailable, not kept there (%s)", type(error).__name__)

    def exists(self, session_key: str) -> bool:
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception as error:
            logger.warning(
                "sessions: cache unavailable, asking the database (%s)", type(error).__name__
            )
        return DatabaseSessionStore.exists(self, session_key)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        DatabaseSessionStore.delete(self, key)
        if key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + key)
        except Exception as error:
            # The database row is gone: the session is over; its cached copy expires within
            # CACHE_SECONDS.
            logger.error(
                "sessions: could not delete a session from the cache (%s)", type(error).__name__
            )
