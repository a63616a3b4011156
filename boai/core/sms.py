"""Pluggable SMS backends. Development and tests: ``FileBackend`` appends one JSON line per message
to ``var/sms-outbox.jsonl``. Production: ``HttpGatewayBackend`` posts to the configured gateway.
``send_sms_task`` delivers one message in the background (re-exported by ``core.tasks``; it lives here
so that the services that send codes need not import ``core.tasks``, which calls the services)."""

import json
import logging
import urllib.request
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("boai.sms")


class SmsError(Exception):
    pass


class FileBackend:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.BOAI_SMS_OUTBOX)

    def send(self, *, phone: str, text: str, code: str = "") -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"phone": phone, "text": text, "code": code}, ensure_ascii=False) + "\n")


class HttpGatewayBackend:
    """POST ``{"phone": ..., "text": ...}`` as JSON to ``BOAI_SMS_GATEWAY_URL`` with a bearer token."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 5.0):
        self.url = url or settings.BOAI_SMS_GATEWAY_URL
        self.token = token if token is not None else settings.BOAI_SMS_GATEWAY_TOKEN
        self.timeout = timeout

    def send(self, *, phone: str, text: str, code: str = "") -> None:
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("BOAI_SMS_GATEWAY_URL is not an http(s) URL")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url,
            data=json.dumps({"phone": phone, "text": text}).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc


def backend():
    return import_string(settings.BOAI_SMS_BACKEND)()


def send(*, phone: str, text: str, code: str = "") -> bool:
    """Send now; log failures without the phone or the code. True when the backend accepted it."""
    try:
        backend().send(phone=phone, text=text, code=code)
        return True
    except SmsError as exc:
        logger.error("SMS not sent: %s", exc)
        return False


@shared_task(name="core.send_sms", ignore_result=True)
def send_sms_task(phone: str, text: str, code: str = "") -> None:
    """Deliver one SMS. The code is in the message itself; the broker keeps it for seconds. No phone:
    nothing to send (a look-up that found no record queues one, so that it takes as long as one that did)."""
    if phone:
        send(phone=phone, text=text, code=code)
