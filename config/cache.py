"""Django's Redis cache, without the per-call costs that buy nothing here.

Every request reads its session from this cache and the nurse queue its counts, so each call
counts (bench/http.py):

- Django's client builds a new `redis.Redis` around the same connection pool for every call
  (~0.1 ms: it copies redis-py's table of response callbacks each time); a client is safe to
  share between threads when it has a pool, so each pool gets one, made once.
- Django checks each key for memcached's rules character by character and only ever warns:
  Redis takes any key, and ours are made by our code.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    # Django's own helpers (private, stable since Django 4.0; django-stubs do not list them).
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key: str) -> None:
        """Nothing to check: memcached's key rules (Django only warns) are not Redis's."""
