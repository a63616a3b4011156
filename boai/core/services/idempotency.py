"""Idempotent writes: the same key and request answer the same result once."""

import time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import IdempotencyRecord


def idempotent(*, scope: str, key: str, request_hash: str, perform, wait_seconds: float = 10.0):
    """Answer a POST once per (scope, key): the first caller performs it and stores the answer; a retry
    with the same body gets the same answer; the same key with another body gets 422.
    ``perform()`` returns ``(status_code, json_body)`` and runs its own transaction."""
    key = key.strip()[:100]
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(scope=scope, key=key, request_hash=request_hash)
    except IntegrityError:
        deadline = time.monotonic() + wait_seconds
        while True:
            record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if record is None:  # the first request failed and let go of the key
                return 409, {"detail": str(_("The first request with this Idempotency-Key failed. Send it again."))}
            if record.request_hash != request_hash:
                return 422, {"detail": str(_("This Idempotency-Key was already used with a different request."))}
            if record.status_code:
                return record.status_code, record.response
            if time.monotonic() > deadline:
                return 409, {"detail": str(_("The first request with this Idempotency-Key is still running."))}
            time.sleep(0.05)
    try:
        status, body = perform()
    except Exception:
        IdempotencyRecord.objects.filter(scope=scope, key=key).delete()
        raise
    IdempotencyRecord.objects.filter(scope=scope, key=key).update(status_code=status, response=body)
    return status, body
