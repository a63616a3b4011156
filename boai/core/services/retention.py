"""Retention of the core's working rows: SMS codes and idempotency records are deleted once past
their use (``BOAI_SMS_CODE_RETENTION_DAYS`` after the code expired, ``BOAI_IDEMPOTENCY_RETENTION_DAYS``
after the key was first used). Each purge writes one audit entry with its count, in its transaction;
run daily by Celery beat (``core.tasks.BEAT``)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from boai.audit.services import SYSTEM, audit_log

from .. import storage
from ..models import IdempotencyRecord, SmsCode


def _days(value, *, minimum: int) -> int:
    return max(int(value), minimum)


@transaction.atomic
def sms_codes_purge(*, now=None) -> int:
    """Delete the SMS codes (used or not) that expired more than the retention period ago. The
    per-phone and per-IP limits count codes of the last hour only, so they lose nothing."""
    return _purge(SmsCode, "expires_at", settings.BOAI_SMS_CODE_RETENTION_DAYS, "core.sms_code.purged", now)


@transaction.atomic
def idempotency_records_purge(*, now=None) -> int:
    """Delete the idempotency records older than the retention period: a retry with such a key runs
    as a new request. The API promises clients at least that window (``BOAI_IDEMPOTENCY_RETENTION_DAYS``,
    never under one day)."""
    return _purge(
        IdempotencyRecord, "created_at", settings.BOAI_IDEMPOTENCY_RETENTION_DAYS, "core.idempotency.purged", now
    )


def _purge(model, date_field: str, retention_days, action: str, now) -> int:
    """Delete ``model``'s rows whose ``date_field`` is more than the retention period (at least a day)
    ago, and audit the count (the caller's transaction)."""
    now = now or timezone.now()
    days = _days(retention_days, minimum=1)
    deleted, _by_model = model.objects.filter(**{f"{date_field}__lt": now - timedelta(days=days)}).delete()
    audit_log(
        action=action,
        actor=SYSTEM,
        object_type=model._meta.label_lower,
        changes={"deleted": deleted, "retention_days": days},
        now=now,
    )
    return deleted


@transaction.atomic
def partial_uploads_purge() -> int:
    """Delete the half-written uploads a killed worker left on local disk (``storage.PART_MARK``, untouched
    for an hour: none is still being written), and audit the count. Never a stored file."""
    removed = storage.leftovers_remove(mark=storage.PART_MARK, older_than=3600)
    audit_log(action="core.partial_upload.purged", actor=SYSTEM, object_type="core.file", changes={"deleted": removed})
    return removed
