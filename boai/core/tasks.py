"""The core's background jobs, and their place in Celery beat's schedule (``BEAT``, collected by
``config.celery`` from every app's ``tasks.py``)."""

from celery import shared_task
from celery.schedules import crontab

from . import sms

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
}


@shared_task(name="core.send_sms", ignore_result=True)
def send_sms_task(phone: str, text: str, code: str = "") -> None:
    """Deliver one SMS. The code is in the message itself; the broker keeps it for seconds."""
    sms.send(phone=phone, text=text, code=code)


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
