"""Retention of the core's working rows: expired SMS codes and old idempotency records are deleted
nightly, what is still in use stays, and each purge leaves one audit entry with its count."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.core.models import IdempotencyRecord, SmsCode
from boai.core.services import idempotency_records_purge, idempotent, sms_codes_purge
from boai.core.tasks import BEAT

pytestmark = pytest.mark.django_db


def _code(*, expired_ago: timedelta, used: bool = False) -> SmsCode:
    now = timezone.now()
    return SmsCode.objects.create(
        phone_index="retention-test",
        purpose=SmsCode.Purpose.LOOKUP,
        code_hash="0" * 64,
        created_at=now - expired_ago - timedelta(minutes=10),
        expires_at=now - expired_ago,
        used_at=now - expired_ago - timedelta(minutes=5) if used else None,
    )


def _record(key: str, *, age: timedelta) -> IdempotencyRecord:
    record = IdempotencyRecord.objects.create(
        scope="retention-test", key=key, request_hash="h", status_code=201, response={"id": key}
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)  # auto_now_add
    return record


def test_codes_expired_over_a_day_ago_go_and_recent_or_live_ones_stay():
    old, old_used = _code(expired_ago=timedelta(days=2)), _code(expired_ago=timedelta(days=1, hours=1), used=True)
    recent, live = _code(expired_ago=timedelta(hours=20)), _code(expired_ago=-timedelta(minutes=5))

    assert sms_codes_purge() == 2

    left = set(SmsCode.objects.filter(phone_index="retention-test").values_list("pk", flat=True))
    assert left == {recent.pk, live.pk}
    assert old.pk not in left and old_used.pk not in left
    entry = AuditEntry.objects.get(action="core.sms_code.purged")
    assert entry.changes == {"deleted": 2, "retention_days": 1} and entry.actor_username == "system"


def test_the_sms_retention_comes_from_the_settings(settings):
    settings.BOAI_SMS_CODE_RETENTION_DAYS = 3
    kept = _code(expired_ago=timedelta(days=2))
    gone = _code(expired_ago=timedelta(days=4))
    assert sms_codes_purge() == 1
    assert SmsCode.objects.filter(pk=kept.pk).exists() and not SmsCode.objects.filter(pk=gone.pk).exists()
    assert AuditEntry.objects.get(action="core.sms_code.purged").changes["retention_days"] == 3


def test_idempotency_records_older_than_seven_days_go_and_a_retry_then_runs_again():
    _record("old", age=timedelta(days=8))
    _record("young", age=timedelta(days=6))

    assert idempotency_records_purge() == 1

    assert list(IdempotencyRecord.objects.filter(scope="retention-test").values_list("key", flat=True)) == ["young"]
    ran = []

    def perform():
        ran.append(1)
        return 201, {"id": "new"}

    # within the window a retry gets the first answer; past it, the key is new again
    assert idempotent(scope="retention-test", key="young", request_hash="h", perform=perform) == (201, {"id": "young"})
    assert idempotent(scope="retention-test", key="old", request_hash="h", perform=perform) == (201, {"id": "new"})
    assert ran == [1]
    entry = AuditEntry.objects.get(action="core.idempotency.purged")
    assert entry.changes == {"deleted": 1, "retention_days": 7}


def test_idempotency_records_are_kept_at_least_a_day_whatever_the_setting(settings):
    settings.BOAI_IDEMPOTENCY_RETENTION_DAYS = 0
    _record("an-hour-ago", age=timedelta(hours=1))
    _record("two-days-ago", age=timedelta(days=2))
    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.filter(scope="retention-test").values_list("key", flat=True)) == [
        "an-hour-ago"
    ]


def test_a_purge_whose_audit_entry_fails_deletes_nothing():
    old = _code(expired_ago=timedelta(days=5))
    record = _record("old", age=timedelta(days=30))
    with mock.patch("boai.core.services.retention.audit_log", side_effect=RuntimeError("audit down")):
        with pytest.raises(RuntimeError):
            sms_codes_purge()
        with pytest.raises(RuntimeError):
            idempotency_records_purge()
    assert SmsCode.objects.filter(pk=old.pk).exists() and IdempotencyRecord.objects.filter(pk=record.pk).exists()


def test_the_purges_run_nightly_from_beat_and_as_tasks():
    from boai.core import tasks
    from config.celery import app, beat_schedule

    schedule = beat_schedule()
    for name, task in (
        ("core-sms-codes-purge", "core.sms_codes_purge"),
        ("core-idempotency-records-purge", "core.idempotency_records_purge"),
        ("core-partial-uploads-purge", "core.partial_uploads_purge"),
    ):
        entry = schedule[name]
        assert entry == BEAT[name] and entry["task"] == task
        assert entry["schedule"].hour == {2}  # at night, Beijing time (CELERY_TIMEZONE)
        app.finalize()
        assert task in app.tasks
    _code(expired_ago=timedelta(days=3))
    _record("old", age=timedelta(days=10))
    assert tasks.sms_codes_purge.apply().get() == 1
    assert tasks.idempotency_records_purge.apply().get() == 1
