"""The Redis cache with Redis unreachable: every call answers at once as a miss (reads), a dropped
write or a counter that counts nothing, instead of raising (boai/core/cache.py); what Django's own
RedisCache does instead is an error, which made every page using the cache a 500."""

import time

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from boai.core.cache import DegradingRedisCache
from boai.core.tests.live import free_port


@pytest.fixture
def unreachable():
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_every_call_degrades_quickly(unreachable):
    cache = DegradingRedisCache(unreachable, {})
    started = time.monotonic()
    assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {} and cache.has_key("k") is False
    assert cache.add("k", 1) is False and cache.set("k", 1) is None and cache.incr("k") == 0
    assert cache.get_or_set("k", lambda: 5) == 5 and cache.set_many({"a": 1}) == ["a"]
    assert cache.delete("k") is False and cache.touch("k") is False and cache.clear() is False
    assert time.monotonic() - started < 5


def test_django_s_own_cache_raises_there(unreachable):
    with pytest.raises(redis.exceptions.ConnectionError):
        RedisCache(unreachable, {}).get("k")
