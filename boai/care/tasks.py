"""Family care's background jobs, and their place in Celery beat's schedule (``BEAT``, collected by
``config.celery`` from every app's ``tasks.py``)."""

from celery import shared_task
from celery.schedules import crontab

BEAT: dict = {
    # follow-ups
    "care-follow-up-reminders": {
        "task": "care.follow_up_reminders",
        "schedule": crontab(hour=8, minute=0),  # every morning, Beijing time (CELERY_TIMEZONE)
    },
}


@shared_task(name="care.follow_up_reminders", ignore_result=True)
def follow_up_reminders() -> int:
    """Remind the staff responsible of the follow-ups due in the next 7 days (once each)."""
    from .services.followups import follow_up_reminders_send

    return follow_up_reminders_send()
