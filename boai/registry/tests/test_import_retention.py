"""Retention of import files: the uploaded list and its error report leave the disk 30 days after the
import finished; an import still running or waiting for its decision keeps them; the import's page
still opens and says the files were removed; the import's row and its audit entries stay."""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.registry.models import ImportJob
from boai.registry.services import import_files_purge
from boai.registry.tasks import BEAT, import_files_purge_task
from boai.registry.tests.helpers import committing_client

from .test_import_export import BAD, GOOD, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    return committing_client("wuhua_staff", django_capture_on_commit_callbacks)


def _paths(job: ImportJob) -> list[Path]:
    return [Path(f.storage.path(f.name)) for f in (job.file, job.report) if f]


def _age(job: ImportJob, *, state: str, days: float) -> ImportJob:
    """Move the job into ``state``, finished (or created, while not finished) ``days`` ago."""
    when = timezone.now() - timedelta(days=days)
    finished = when if state in ("done", "failed") else None
    ImportJob.objects.filter(pk=job.pk).update(state=state, finished_at=finished, created_at=when)
    job.refresh_from_db()
    return job


def _purge(capture) -> dict:
    with capture(execute=True):  # the files leave the disk once the purge's transaction commits
        return import_files_purge()


def test_an_import_finished_over_30_days_ago_loses_its_files_and_its_page_says_so(
    clerk, django_capture_on_commit_callbacks
):
    job = upload(clerk, xlsx(GOOD + BAD))
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "valid"})
    job = _age(job, state="done", days=31)
    files = _paths(job)
    assert len(files) == 2 and all(p.exists() for p in files)  # the list and its error report

    counts = _purge(django_capture_on_commit_callbacks)

    assert counts == {"imports": 1, "files": 1, "reports": 1, "retention_days": 30}
    assert not any(p.exists() for p in files)
    job.refresh_from_db()
    assert not job.file and not job.report and job.files_removed_at is not None
    assert (job.state, job.imported_rows, job.sha256) == ("done", 2, job.sha256)  # the record stays
    page = clerk.get(f"/workspace/registrations/import/{job.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "The uploaded list and its error report were removed 31 days after the import finished" in text
    assert "Download the error report" not in text and "report.xlsx" not in text
    report = clerk.get(f"/workspace/registrations/import/{job.pk}/report.xlsx")
    assert report.status_code == 302 and report["Location"].endswith(f"/import/{job.pk}/")  # no broken download
    entry = AuditEntry.objects.get(action="registry.import.files_purged")
    assert entry.changes == counts and entry.actor_username == "system"
    assert AuditEntry.objects.filter(action="registry.import.committed", object_id=str(job.pk)).exists()
    assert _purge(django_capture_on_commit_callbacks)["imports"] == 0  # once only


@pytest.mark.parametrize("state", ["uploaded", "checking", "checked", "importing"])
def test_an_import_in_progress_or_waiting_for_its_decision_keeps_its_files(
    clerk, django_capture_on_commit_callbacks, state
):
    job = _age(upload(clerk, xlsx(GOOD + BAD)), state=state, days=90)
    files = _paths(job)

    assert _purge(django_capture_on_commit_callbacks)["imports"] == 0

    job.refresh_from_db()
    assert job.file and job.files_removed_at is None and all(p.exists() for p in files)
    page = clerk.get(f"/workspace/registrations/import/{job.pk}/").content.decode()
    assert "were removed" not in page


def test_a_recent_import_keeps_its_files_and_a_failed_old_one_loses_them(
    clerk, django_capture_on_commit_callbacks, settings
):
    recent = _age(upload(clerk, xlsx(GOOD + BAD)), state="done", days=29)
    failed = _age(upload(clerk, xlsx(GOOD)), state="failed", days=31)
    recent_files, failed_files = _paths(recent), _paths(failed)

    assert _purge(django_capture_on_commit_callbacks) == {"imports": 1, "files": 1, "reports": 0, "retention_days": 30}

    assert all(p.exists() for p in recent_files) and not any(p.exists() for p in failed_files)
    recent.refresh_from_db()
    assert recent.file and recent.report and recent.files_removed_at is None

    settings.BOAI_IMPORT_FILE_RETENTION_DAYS = 10  # the retention comes from the settings
    assert _purge(django_capture_on_commit_callbacks)["imports"] == 1
    assert not any(p.exists() for p in recent_files)


def test_a_purge_whose_audit_entry_fails_keeps_the_files_and_their_references(
    clerk, django_capture_on_commit_callbacks
):
    job = _age(upload(clerk, xlsx(GOOD + BAD)), state="done", days=60)
    files = _paths(job)
    with (
        mock.patch("boai.registry.services.retention.audit_log", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        _purge(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.file and job.report and job.files_removed_at is None and all(p.exists() for p in files)


def test_the_purge_runs_nightly_from_beat(clerk, django_capture_on_commit_callbacks):
    from config.celery import app, beat_schedule

    entry = beat_schedule()["registry-import-files-purge"]
    assert entry == BEAT["registry-import-files-purge"] and entry["task"] == "registry.import_files_purge"
    assert entry["schedule"].hour == {2}  # at night, Beijing time (CELERY_TIMEZONE)
    app.finalize()
    assert "registry.import_files_purge" in app.tasks
    job = _age(upload(clerk, xlsx(GOOD)), state="done", days=45)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_files_purge_task.apply().get() == 1
    assert not any(p.exists() for p in _paths(job))
