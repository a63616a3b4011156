"""What /readyz looks at: the database, Redis (the cache and the Celery broker) and file storage.
Each check answers in plain words ("ok", "unavailable", "not writable", "not configured") and never
raises: the cause goes to the log, never into the answer, which anyone may fetch."""

import logging
import uuid

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_WRITABLE = "not writable"
NOT_CONFIGURED = "not configured"
TIMEOUT_SECONDS = 2


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("readyz: database unavailable (%s)", type(exc).__name__)
        return UNAVAILABLE
    return OK


def redis_server() -> str:
    """REDIS_URL serves both the cache and the Celery broker; without it both run in-process."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return NOT_CONFIGURED
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        logger.warning("readyz: redis unavailable (%s)", type(exc).__name__)
        return UNAVAILABLE
    return OK


def storage() -> str:
    """A small file written and deleted through the default storage (uploads and attachments)."""
    try:
        name = default_storage.save(f"readyz-{uuid.uuid4().hex}.tmp", ContentFile(b"ready"))
        default_storage.delete(name)
    except Exception as exc:
        logger.warning("readyz: storage not writable (%s)", type(exc).__name__)
        return NOT_WRITABLE
    return OK


CHECKS = {"database": database, "redis": redis_server, "storage": storage}


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, each component's state). "not configured" is no failure."""
    states = {name: check() for name, check in CHECKS.items()}
    return all(state in (OK, NOT_CONFIGURED) for state in states.values()), states
