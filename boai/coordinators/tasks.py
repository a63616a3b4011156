"""The coordinators' background jobs, and their place in Celery beat's schedule (``BEAT``, collected
by ``config.celery`` from every app's ``tasks.py``)."""

from celery import shared_task
from celery.schedules import crontab

BEAT = {
    "coordinators-qualification-reminders": {
        "task": "coordinators.qualification_reminders",
        "schedule": crontab(hour=8, minute=0),  # every morning, Beijing time (CELERY_TIMEZONE)
    },
}


@shared_task(name="coordinators.qualification_reminders", ignore_result=True)
def qualification_reminders() -> int:
    """Remind the coordinators whose qualification expires soon (once per 30 days each)."""
    from .services.qualifications import qualification_reminders_send

    return qualification_reminders_send()
