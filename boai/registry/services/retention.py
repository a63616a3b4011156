"""Retention of import files: the uploaded list and its error report hold the personal data of a
whole list, so they go ``BOAI_IMPORT_FILE_RETENTION_DAYS`` after the import finished (imported, or
failed). An import still checking, importing or waiting for its decision keeps its files. The
import's row stays as the record (file name, SHA-256, counts, ``files_removed_at``), and so do its
audit entries; the page then says the files were removed."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boai.audit.services import SYSTEM, audit_log

from ..models import ImportJob

logger = logging.getLogger(__name__)

FINISHED = (ImportJob.State.DONE, ImportJob.State.FAILED)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # the row no longer names it: left for an operator, not retried
            logger.exception("import file %s not deleted", name)


@transaction.atomic
def import_files_purge(*, now=None) -> dict:
    """Remove the files of the imports finished before the retention period and mark their rows.
    The files leave the storage once the transaction commits (a rollback keeps them named).
    Returns the counts written to the audit entry."""
    now = now or timezone.now()
    days = max(int(settings.BOAI_IMPORT_FILE_RETENTION_DAYS), 1)
    cutoff = now - timedelta(days=days)
    jobs = list(
        ImportJob.objects.select_for_update()
        .filter(state__in=FINISHED, files_removed_at__isnull=True)
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
        .order_by("pk")
    )
    files, reports = [], []
    for job in jobs:
        if job.file:
            files.append(job.file.name)
        if job.report:
            reports.append(job.report.name)
    if jobs:
        ImportJob.objects.filter(pk__in=[job.pk for job in jobs]).update(file="", report="", files_removed_at=now)
        storage = ImportJob._meta.get_field("file").storage
        names = files + reports
        transaction.on_commit(lambda: _delete_files(storage, names), robust=True)
    counts = {"imports": len(jobs), "files": len(files), "reports": len(reports), "retention_days": days}
    audit_log(
        action="registry.import.files_purged", actor=SYSTEM, object_type="registry.importjob", changes=counts, now=now
    )
    return counts
