"""What the collect tests share: a drawn signature, an entry as the phone sends it."""

import base64
import io
import uuid
from datetime import date, datetime, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from boai.registry.notices import CURRENT
from boai.registry.tests.helpers import resident_id


def signature_png(width=300, height=120) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).line([(10, 90), (80, 20), (150, 100), (280, 30)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def data_url(data: bytes, mime="image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


SIGNATURE = data_url(signature_png())


def person(seq="31", born=date(1980, 2, 3), sex="M", **overrides) -> dict:
    values = {
        "name": "李明",
        "id_type": "resident_id",
        "id_number": resident_id("530102", born, seq, sex),
        "phone": "13800002222",
        "region": "530102",
        "address": "",
        "organs": ["all"],
        "tissues": [],
        "body": False,
        "executor_name": "",
        "executor_relationship": "",
        "executor_phone": "",
    }
    values.update(overrides)
    return values


def entry(*, key=None, collected_at: datetime | None = None, **overrides) -> dict:
    """An entry as the phone sends it: signed an hour ago, attested, the current notice."""
    moment = collected_at or timezone.now() - timedelta(hours=1)
    values = {
        "key": str(key or uuid.uuid4()),
        "collected_at": moment.isoformat(),
        "consent_version": CURRENT,
        "attested": True,
        "signature": SIGNATURE,
        "person": person(),
    }
    values.update(overrides)
    return values


def event_today(**kwargs):
    """An event held today (Beijing), so that an entry signed an hour ago falls within its dates."""
    from .factories import make_event

    kwargs.setdefault("starts_on", timezone.localdate())
    return make_event(**kwargs)
