"""The demo's follow-ups on a demo-like family; the reminder job run by a real Celery worker (Redis)."""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.audit.tests.test_celery_worker import worker  # noqa: F401  (the real worker fixture)
from boai.core.tests.personas import user

from ..demo import followups as demo
from ..models import Contact, FollowUp
from .factories import make_family, make_follow_up


@pytest.mark.django_db
def test_the_demo_plans_and_records_past_follow_ups_leaving_the_latest_overdue():
    family = make_family(donated_on=date(2025, 3, 10))
    assert demo.load() is True
    today = timezone.localdate()
    past = family.follow_ups.filter(due_on__lt=today)
    assert past.filter(state=FollowUp.State.PLANNED).count() == 1
    assert Contact.objects.filter(family=family, channel="visit").exists()
    assert Contact.objects.filter(family=family, channel="phone").exists()
    assert demo.load() is False  # already there


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_follow_up_reminders(worker):  # noqa: F811
    from ..tasks import follow_up_reminders

    family = make_family()
    family.responsible = user("wuhua_staff")
    family.save()
    fu = make_follow_up(family, due_on=timezone.localdate() + timedelta(days=1))
    follow_up_reminders.delay()  # ignore_result: wait for its effect
    assert not worker.conf.task_always_eager
    for _ in range(120):
        fu.refresh_from_db()
        if fu.reminded_on:
            break
        time.sleep(0.5)
    assert fu.reminded_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="care.follow_up.reminded").count() == 1
