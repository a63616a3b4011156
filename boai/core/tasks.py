from celery import shared_task

from . import sms


@shared_task(name="core.send_sms", ignore_result=True)
def send_sms_task(phone: str, text: str, code: str = "") -> None:
    """Deliver one SMS. The code is in the message itself; the broker keeps it for seconds."""
    sms.send(phone=phone, text=text, code=code)
