"""Background jobs of the registry: thin wrappers around the import services (they take ids), and
their place in Celery beat's schedule (``BEAT``, collected by ``config.celery``)."""

from celery import shared_task
from celery.schedules import crontab

from boai.accounts.models import User
from boai.core.errors import DomainError

from .models import ImportJob
from .services import import_files_purge, import_heartbeat, import_job_check, import_job_commit

BEAT: dict = {
    # retention: the uploaded lists and error reports of finished imports, nightly (Beijing time)
    "registry-import-files-purge": {
        "task": "registry.import_files_purge",
        "schedule": crontab(hour=2, minute=30),
    },
}


@shared_task(name="registry.import_check")
def import_check_task(job_id: int) -> int:
    with import_heartbeat(job_id):
        return import_job_check(job_id=job_id).error_rows


@shared_task(name="registry.import_commit")
def import_commit_task(job_id: int, actor_id: int, valid_only: bool) -> int:

    try:
        with import_heartbeat(job_id):
            job = import_job_commit(job_id=job_id, actor=User.objects.get(pk=actor_id), valid_only=valid_only)
        return job.imported_rows
    except DomainError as exc:
        ImportJob.objects.filter(pk=job_id).update(message=str(exc.message)[:300])
        return 0


@shared_task(name="registry.import_files_purge", ignore_result=True)
def import_files_purge_task() -> int:
    """Remove the files of the imports finished more than BOAI_IMPORT_FILE_RETENTION_DAYS ago."""
    return import_files_purge()["imports"]
