"""config.cache.RedisCache: Django's Redis cache with one client per connection pool, made
once, and no memcached key checks; otherwise Django's (on a private redis-server)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
import redis

from config.cache import RedisCache
from tests.support.redis_server import PrivateRedis, private_redis


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateRedis]:
    with private_redis() as running:
        yield running


@pytest.fixture
def cache(server: PrivateRedis) -> RedisCache:
    return RedisCache(server.url, {"KEY_PREFIX": "test"})


def test_it_stores_and_reads_like_djangos(cache: RedisCache) -> None:
    cache.set("a", {"count": 3}, timeout=60)
    cache.set_many({"b": 1, "c": [1, 2]}, timeout=60)
    assert cache.get("a") == {"count": 3}
    assert cache.get_many(["a", "b", "c", "missing"]) == {"a": {"count": 3}, "b": 1, "c": [1, 2]}
    assert cache.add("a", "other") is False
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"
    assert cache.incr("b") == 2


def test_one_client_per_pool_made_once(cache: RedisCache, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = redis.Redis.__init__

    def counting(self: redis.Redis, *args: object, **kwargs: object) -> None:
        made.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    for number in range(20):
        cache.set(f"k{number}", number)
        assert cache.get(f"k{number}") == number
    assert len(made) == 1  # Django's own client makes one per call: 40 here


def test_keys_are_not_checked_for_memcached(cache: RedisCache) -> None:
    long_key_with_space = "session " + "x" * 300  # memcached: too long, and a space
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's check would warn (CacheKeyWarning)
        cache.set(long_key_with_space, "kept")
        assert cache.get(long_key_with_space) == "kept"


def test_a_stopped_server_raises_as_djangos_does(server: PrivateRedis) -> None:
    with private_redis() as other:
        cache = RedisCache(other.url, {})
        cache.set("a", 1)
        other.stop()
        with pytest.raises(redis.ConnectionError):
            cache.get("a")
