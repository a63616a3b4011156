"""The cache on Redis that degrades instead of failing: with Redis down (stopped, restarting,
unreachable) a read misses, a write is dropped and a counter counts nothing, each noted in the log,
so that pages, the registration flow and the rate limits keep working (a rate limit counted in the
cache lets requests through while it cannot count: it fails open; sessions are in the database).
Short socket timeouts keep a request from hanging on an unreachable server."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrading(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            logger.warning("cache unavailable: %s skipped (%s)", name, type(exc).__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


class DegradingRedisCache(RedisCache):
    """Django's RedisCache whose every call survives Redis being down (see the module's note)."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        options.setdefault("retry_on_timeout", False)
        super().__init__(server, params)

    get = _degrading("get", lambda key, default=None, version=None: default)
    get_many = _degrading("get_many", {})
    has_key = _degrading("has_key", False)
    add = _degrading("add", False)
    set = _degrading("set", None)
    set_many = _degrading("set_many", lambda data, *a, **k: list(data))
    touch = _degrading("touch", False)
    delete = _degrading("delete", False)
    delete_many = _degrading("delete_many", None)
    clear = _degrading("clear", False)
    incr = _degrading("incr", 0)
