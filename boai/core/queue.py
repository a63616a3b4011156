"""Putting background jobs on the queue (Celery on Redis) without letting a broker outage break
the request: ``enqueue`` says whether the job was queued, so that the caller can tell the user it
must be started again later; ``enqueue_on_commit`` does it once the transaction commits and can run
a short job here and now instead (an SMS), so that a registration never fails for want of a queue."""

import logging
import threading

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing raises with the broker (or the result backend) unreachable.
QUEUE_ERRORS = (BrokerError, RedisError, ConnectionError, TimeoutError)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task(*args, **kwargs)``; False (logged) when the queue cannot be reached."""
    try:
        # no result kept: the result backend's subscription (on Redis too) would retry for 20 s when down
        task.apply_async(args, kwargs, ignore_result=True)
    except QUEUE_ERRORS as exc:
        logger.warning("queue unavailable: %s not queued (%s)", task.name, type(exc).__name__)
        return False
    return True


def enqueue_on_commit(task, *args, run_here_if_down: bool = False, **kwargs) -> None:
    """Queue the task when the current transaction commits; with ``run_here_if_down``, a short job (an
    SMS) runs in this process when the queue cannot be reached, on a thread of its own: the answer does
    not wait for it, so its timing does not tell whether there was one to send (a look-up's code)."""

    def send():
        if not enqueue(task, *args, **kwargs) and run_here_if_down:
            threading.Thread(target=task.apply, args=(args, kwargs), name=f"boai-{task.name}", daemon=True).start()

    transaction.on_commit(send)
