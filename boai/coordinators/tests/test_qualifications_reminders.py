"""The daily expiry reminder: once per 30 days per qualification expiring within the window, an audit
entry, ``reminded_on`` and an SMS to the coordinator; a second run the same day does nothing. And
beat's schedule: each app's ``tasks.BEAT`` joins the settings' entries (the audit checkpoint stays)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry

from ..models import Qualification, ReviewSettings
from ..tasks import BEAT, qualification_reminders
from .factories import make_qualified, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path):
    settings.BOAI_SMS_BACKEND = "boai.core.sms.FileBackend"
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms.jsonl"
    return settings.BOAI_SMS_OUTBOX


def sent(outbox):
    return [json.loads(line) for line in outbox.read_text().splitlines()] if outbox.exists() else []


def reminders():
    return AuditEntry.objects.filter(action="coordinators.qualification.reminded").count()


def test_the_task_reminds_those_expiring_once_and_is_idempotent_on_the_same_day(
    outbox, django_capture_on_commit_callbacks
):
    soon = make_qualified(name="提醒甲", valid_until=today() + timedelta(days=20))
    make_qualified(name="提醒乙", valid_until=today() + timedelta(days=400))  # outside the window
    make_qualified(name="提醒丙")  # no expiry
    with django_capture_on_commit_callbacks(execute=True):
        first = qualification_reminders.apply().get()
    # the demo's 李娜 (45 days) and 提醒甲 (20 days)
    assert first == 2
    texts = sent(outbox)
    assert len(texts) == 2 and any(soon.name in t["text"] for t in texts)
    q = soon.qualifications.get()
    assert q.reminded_on == today()
    assert reminders() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert qualification_reminders.apply().get() == 0
    assert len(sent(outbox)) == 2 and reminders() == 2


def test_reminded_again_only_after_30_days_and_within_the_configured_window(outbox):
    c = make_qualified(name="提醒丁", valid_until=today() + timedelta(days=100))
    assert qualification_reminders.apply().get() == 1  # only 李娜: 100 days is outside the default 90
    row = ReviewSettings.objects.get()
    row.expiry_warning_days = 120
    row.save()
    assert qualification_reminders.apply().get() == 1  # now 提醒丁
    q = c.qualifications.get()
    Qualification.objects.filter(pk=q.pk).update(reminded_on=today() - timedelta(days=29))
    assert qualification_reminders.apply().get() == 0
    Qualification.objects.filter(pk=q.pk).update(reminded_on=today() - timedelta(days=30))
    assert qualification_reminders.apply().get() == 1


def test_a_suspended_or_expired_qualification_is_not_reminded(outbox):
    make_qualified(
        name="提醒戊", valid_until=today() + timedelta(days=10), qualification_state=Qualification.State.SUSPENDED
    )
    make_qualified(name="提醒己", valid_until=today() - timedelta(days=1))
    assert qualification_reminders.apply().get() == 1  # 李娜 only
    assert timezone.localdate() == today()


def test_beat_collects_every_apps_schedule_and_keeps_the_audit_checkpoint():
    from config.celery import app, beat_schedule

    schedule = beat_schedule()
    assert schedule["audit-checkpoint-hourly"]["task"] == "audit.checkpoint"
    assert schedule["coordinators-qualification-reminders"] == BEAT["coordinators-qualification-reminders"]
    app.finalize()
    app.conf.beat_schedule = beat_schedule()  # what on_after_finalize and beat_init do
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"audit.checkpoint", "coordinators.qualification_reminders"} <= tasks
    assert "coordinators.qualification_reminders" in app.tasks


def test_a_beat_entry_declared_twice_is_refused(settings):
    from config.celery import beat_schedule

    settings.CELERY_BEAT_SCHEDULE = {**settings.CELERY_BEAT_SCHEDULE, **BEAT}
    with pytest.raises(ValueError, match="declared twice"):
        beat_schedule()
