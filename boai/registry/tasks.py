"""Background jobs of the registry: thin wrappers around the import services (they take ids)."""

from celery import shared_task

from boai.accounts.models import User
from boai.core.errors import DomainError

from .models import ImportJob
from .services import import_job_check, import_job_commit


@shared_task(name="registry.import_check")
def import_check_task(job_id: int) -> int:

    return import_job_check(job_id=job_id).error_rows


@shared_task(name="registry.import_commit")
def import_commit_task(job_id: int, actor_id: int, valid_only: bool) -> int:

    try:
        job = import_job_commit(job_id=job_id, actor=User.objects.get(pk=actor_id), valid_only=valid_only)
        return job.imported_rows
    except DomainError as exc:
        ImportJob.objects.filter(pk=job_id).update(message=str(exc.message)[:300])
        return 0
