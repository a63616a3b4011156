"""An import whose job never started (the queue was down) or whose worker died is shown as stalled
and can be resumed or cancelled from its page or the API, without a new upload; a job at work cannot."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.registry import tasks
from boai.registry.models import ImportJob, Registration
from boai.registry.services import import_heartbeat, import_job_stalled
from boai.registry.tests.test_import_export import GOOD, upload, xlsx

pytestmark = pytest.mark.django_db

NOT_QUEUED = (
    "The background service is unavailable right now: the list is kept but its check has not started. "
    "Resume it from this page in a few minutes."
)


@pytest.fixture
def clerk(django_capture_on_commit_callbacks):
    from boai.registry.tests.helpers import committing_client

    return committing_client("wuhua_staff", django_capture_on_commit_callbacks)


@pytest.fixture
def queue_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for task in (tasks.import_check_task, tasks.import_commit_task):
        monkeypatch.setattr(task, "apply_async", refuse)
    return monkeypatch


def page(client, job) -> str:
    return client.get(f"/workspace/registrations/import/{job.pk}/").content.decode()


def test_with_the_queue_down_the_upload_is_kept_the_user_told_and_it_resumes_without_a_new_upload(clerk, queue_down):
    response = clerk.post("/workspace/registrations/import/", {"file": xlsx(GOOD), "consent": "on"}, follow=True)
    assert response.status_code == 200 and NOT_QUEUED in response.content.decode()
    job = ImportJob.objects.latest("created_at")
    assert job.state == "uploaded" and import_job_stalled(job)
    shown = page(clerk, job)
    assert "Stalled" in shown and "Resume" in shown and "Cancel the import" in shown

    queue_down.undo()  # the queue is back
    response = clerk.post(f"/workspace/registrations/import/{job.pk}/resume/", follow=True)
    job.refresh_from_db()
    assert job.state == "checked" and job.valid_rows == 2 and not import_job_stalled(job)
    assert "Stalled" not in response.content.decode()
    assert AuditEntry.objects.filter(action="registry.import.resumed", object_id=str(job.pk)).exists()


def test_starting_the_import_with_the_queue_down_says_to_try_again_and_changes_nothing(clerk, queue_down):
    queue_down.undo()
    job = upload(clerk, xlsx(GOOD))
    before = Registration.objects.count()
    for task in (tasks.import_check_task, tasks.import_commit_task):
        queue_down.setattr(task, "apply_async", lambda *a, **k: (_ for _ in ()).throw(BrokerError("down")))
    response = clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"}, follow=True)
    assert "the job has not started. Please try again in a few minutes." in response.content.decode()
    job.refresh_from_db()
    assert job.state == "checked" and Registration.objects.count() == before


def test_an_import_left_importing_by_a_dead_worker_is_stalled_and_resumes_to_checked(clerk):
    job = upload(clerk, xlsx(GOOD))
    before = Registration.objects.count()
    minutes_ago = timezone.now() - timedelta(minutes=11)
    ImportJob.objects.filter(pk=job.pk).update(state="importing", heartbeat_at=minutes_ago)  # its worker died
    job.refresh_from_db()
    assert import_job_stalled(job) and "Stalled" in page(clerk, job)

    clerk.post(f"/workspace/registrations/import/{job.pk}/resume/")
    job.refresh_from_db()
    assert job.state == "checked" and "nothing was written" in job.message  # in the clerk's language
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    job.refresh_from_db()
    assert job.state == "done" and Registration.objects.count() == before + 2


def test_a_job_with_a_recent_heartbeat_is_not_stalled_and_cannot_be_resumed_or_cancelled(clerk):
    job = upload(clerk, xlsx(GOOD))
    ImportJob.objects.filter(pk=job.pk).update(state="importing", heartbeat_at=timezone.now() - timedelta(minutes=2))
    job.refresh_from_db()
    assert not import_job_stalled(job) and "Stalled" not in page(clerk, job)
    response = clerk.post(f"/workspace/registrations/import/{job.pk}/resume/", follow=True)
    assert "This import is not stalled" in response.content.decode()
    response = clerk.post(f"/workspace/registrations/import/{job.pk}/cancel/", follow=True)
    assert "This import cannot be cancelled now" in response.content.decode()
    job.refresh_from_db()
    assert job.state == "importing"


def national_job(**fields) -> ImportJob:
    from boai.registry.tests.matrix import national_job as make

    job = make()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def test_the_api_shows_a_stalled_job_and_cancels_it_and_its_late_check_does_nothing():
    job = national_job(state="checking", heartbeat_at=timezone.now() - timedelta(hours=1))
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user("prov_admin"))
    assert api.get(f"/api/v1/national-imports/{job.pk}/").json()["stalled"] is True
    response = api.post(f"/api/v1/national-imports/{job.pk}/cancel/")
    assert response.status_code == 200 and response.json()["state"] == "failed"
    assert response.json()["stalled"] is False
    assert AuditEntry.objects.filter(action="registry.import.cancelled", object_id=str(job.pk)).exists()
    tasks.import_check_task(job.pk)  # the worker comes back to it: nothing happens
    job.refresh_from_db()
    assert job.state == "failed"
    again = api.post(f"/api/v1/national-imports/{job.pk}/resume/")
    assert again.status_code == 409 and again.json()["code"] == "import_state"


def test_the_api_resumes_a_stalled_import_and_refuses_a_running_one():
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user("prov_admin"))
    running = national_job(state="importing", heartbeat_at=timezone.now())
    assert api.post(f"/api/v1/national-imports/{running.pk}/resume/").status_code == 409
    stalled = national_job(state="importing", heartbeat_at=timezone.now() - timedelta(minutes=30))
    response = api.post(f"/api/v1/national-imports/{stalled.pk}/resume/")
    assert response.status_code == 200 and response.json()["state"] == "checked"


@pytest.mark.django_db(transaction=True)
def test_a_working_job_beats_and_stops_beating_when_done(transactional_base_data):
    job = national_job(state="checking", heartbeat_at=timezone.now() - timedelta(hours=1))
    with import_heartbeat(job.pk, seconds=0.05):
        time.sleep(0.5)
    job.refresh_from_db()
    beat = job.heartbeat_at
    assert beat > timezone.now() - timedelta(seconds=5)
    time.sleep(0.3)
    job.refresh_from_db()
    assert job.heartbeat_at == beat and not any(t.name.endswith("-heartbeat") for t in threading.enumerate())
