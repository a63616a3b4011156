"""The core's background jobs, and their place in Celery beat's schedule (``BEAT``, collected by
``config.celery`` from every app's ``tasks.py``)."""

from celery import shared_task
from celery.schedules import crontab

from .sms import send_sms_task  # noqa: F401 - core.send_sms, defined with the backends

BEAT: dict = {
    # retention: nightly, Beijing time (CELERY_TIMEZONE), away from the working day
    "core-sms-codes-purge": {
        "task": "core.sms_codes_purge",
        "schedule": crontab(hour=2, minute=10),
    },
    "core-idempotency-records-purge": {
        "task": "core.idempotency_records_purge",
        "schedule": crontab(hour=2, minute=20),
    },
    "core-partial-uploads-purge": {
        "task": "core.partial_uploads_purge",
        "schedule": crontab(hour=2, minute=40),
    },
}


@shared_task(name="core.sms_codes_purge", ignore_result=True)
def sms_codes_purge() -> int:
    """Delete the SMS codes past their retention (BOAI_SMS_CODE_RETENTION_DAYS after expiry)."""
    from .services import sms_codes_purge as purge

    return purge()


@shared_task(name="core.idempotency_records_purge", ignore_result=True)
def idempotency_records_purge() -> int:
    """Delete the idempotency records past their retention (BOAI_IDEMPOTENCY_RETENTION_DAYS)."""
    from .services import idempotency_records_purge as purge

    return purge()


@shared_task(name="core.partial_uploads_purge", ignore_result=True)
def partial_uploads_purge() -> int:
    """Delete the half-written uploads a killed worker left on local disk (an hour old and more)."""
    from .services import partial_uploads_purge as purge

    return purge()
