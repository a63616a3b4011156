"""A real Celery worker consuming from the Redis server runs a background job against the database."""

import os
import socket

import pytest

from boai.audit.models import AuditEntry
from boai.audit.services import SYSTEM, audit_log

# One Redis database per pytest-xdist worker (gw0, gw1, ...): two workers' queues never meet, or one
# worker's Celery would run the other's task against the wrong test database.
_XDIST = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS = os.environ.get("BOAI_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _XDIST % 8}")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def worker(transactional_base_data):
    if not redis_up():
        if os.environ.get("CI"):
            pytest.fail("CI needs the Redis server at 127.0.0.1:6379 for the Celery worker test")
        pytest.skip("no Redis server at 127.0.0.1:6379")
    import celery.contrib.testing.tasks  # noqa: F401 - registers the ping task the worker's start-up uses
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False)
    forget_connections(app)  # eager tasks of earlier tests made an in-memory result backend: drop it
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)
        forget_connections(app)


def forget_connections(app):
    """Celery caches its result backend and broker pool on first use; after changing the URLs, drop them."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app._pool = None  # kombu keeps one pool per URL: the next use picks the right one
    app.amqp._producer_pool = None


def test_a_real_worker_verifies_the_audit_chain(worker):
    from boai.audit.tasks import verify_chain_task

    audit_log(action="test.worker", actor=SYSTEM)
    result = verify_chain_task.delay()
    assert not worker.conf.task_always_eager
    outcome = result.get(timeout=60)
    assert outcome == {"ok": True, "checked": AuditEntry.objects.count(), "bad_id": None, "reason": ""}
