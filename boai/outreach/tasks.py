"""Outreach's background jobs, and their place in Celery beat's schedule (``BEAT``, collected by
``config.celery`` from every app's ``tasks.py``)."""

from celery import shared_task
from celery.schedules import crontab

BEAT: dict = {
    # fundraising: the imports checked but never confirmed
    "outreach-checked-files-sweep": {
        "task": "outreach.checked_files_sweep",
        "schedule": crontab(hour=3, minute=30),
    },
}


@shared_task(name="outreach.checked_files_sweep", ignore_result=True)
def checked_files_sweep() -> int:
    """Remove the fundraising exports that were checked a day ago or more and never confirmed."""
    from .services.fundraising import checked_files_sweep as sweep

    return sweep()
