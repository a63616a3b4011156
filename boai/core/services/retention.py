"""Retention of the core's working rows: SMS codes and idempotency records are deleted once past
their use (``BOAI_SMS_CODE_RETENTION_DAYS`` after the code expired, ``BOAI_IDEMPOTENCY_RETENTION_DAYS``
after the key was first used). Each purge writes one audit entry with its count, in its transaction;
run daily by Celery beat (``core.tasks.BEAT``)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from boai.audit.services import SYSTEM, audit_log

from ..models import IdempotencyRecord, SmsCode


def _days(value, *, minimum: int) -> int:
    return max(int(value), minimum)


@transaction.atomic
def sms_codes_purge(*, now=None) -> int:
    """Delete the SMS codes (used or not) that expired more than the retention period ago. The
    per-phone and per-IP limits count codes of the last hour only, so they lose nothing."""
    now = now or timezone.now()
    days = _days(settings.BOAI_SMS_CODE_RETENTION_DAYS, minimum=1)
    deleted, _by_model = SmsCode.objects.filter(expires_at__lt=now - timedelta(days=days)).delete()
    audit_log(
        action="core.sms_code.purged",
        actor=SYSTEM,
        object_type="core.smscode",
        changes={"deleted": deleted, "retention_days": days},
        now=now,
    )
    return deleted


@transaction.atomic
def idempotency_records_purge(*, now=None) -> int:
    """Delete the idempotency records older than the retention period: a retry with such a key runs
    as a new request. The API promises clients at least that window (``BOAI_IDEMPOTENCY_RETENTION_DAYS``,
    never under one day)."""
    now = now or timezone.now()
    days = _days(settings.BOAI_IDEMPOTENCY_RETENTION_DAYS, minimum=1)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=now - timedelta(days=days)).delete()
    audit_log(
        action="core.idempotency.purged",
        actor=SYSTEM,
        object_type="core.idempotencyrecord",
        changes={"deleted": deleted, "retention_days": days},
        now=now,
    )
    return deleted
