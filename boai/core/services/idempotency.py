"""Idempotent writes: the same key and request answer the same result once."""

import time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import IdempotencyRecord


def idempotent(*, scope: str, key: str, request_hash: str, perform, wait_seconds: float = 10.0):
    """Answer a POST once per (scope, key): the first caller performs it and stores the answer; a retry
    with the same body gets the same answer; the same key with another body gets 422.
    ``perform()`` returns ``(status_code, json_body)``.

    The key, the write and its answer commit together, in one transaction: a process killed half-way
    (kill -9, a lost connection) leaves no key claimed without its answer, so the client's retry
    performs the write again instead of waiting for an answer that never comes. A retry arriving while
    the first request still runs waits on the key's row (PostgreSQL holds the unique index entry until
    the first transaction ends), then reads its answer."""
    key = key.strip()[:100]
    with transaction.atomic():
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(scope=scope, key=key, request_hash=request_hash)
        except IntegrityError:
            pass  # already answered (or answered meanwhile): read it below, outside this transaction
        else:
            status, body = perform()
            IdempotencyRecord.objects.filter(scope=scope, key=key).update(status_code=status, response=body)
            return status, body
    deadline = time.monotonic() + wait_seconds
    while True:
        record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if record is None:  # the first request failed and let go of the key
            return 409, {"detail": str(_("The first request with this Idempotency-Key failed. Send it again."))}
        if record.request_hash != request_hash:
            return 422, {"detail": str(_("This Idempotency-Key was already used with a different request."))}
        if record.status_code:
            return record.status_code, record.response
        if time.monotonic() > deadline:  # a record written before answers committed with their key
            return 409, {"detail": str(_("The first request with this Idempotency-Key is still running."))}
        time.sleep(0.05)
