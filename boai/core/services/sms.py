"""SMS codes: sent, checked and consumed, limited per phone and per client."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.lib import crypto

from ..errors import InvalidInput, RateLimited
from ..fields import index_for
from ..models import Counter, SmsCode
from ..queue import enqueue_on_commit
from ..sms import send_sms_task


def _code_hash(code: str, phone_index: str) -> str:
    return crypto.blind_index(f"{phone_index}:{code}", purpose="sms-code")


def sms_code_send(*, phone: str, purpose: str, text: str, ip: str | None, now=None, deliver: bool = True) -> None:
    """Create a one-time code for this phone and purpose and send it after the commit.
    Rate-limited per phone (one a minute, a few an hour) and per IP address."""
    now = now or timezone.now()
    phone_index = index_for("phone", phone)
    if not phone_index:
        raise InvalidInput(_("Enter a mobile phone number."), field="phone")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sms_code_send must be called inside a transaction")
    # One request at a time per phone and purpose (the row lock is held until commit), so parallel
    # requests cannot all pass the limits; each purpose has its own limit, so that the register flow
    # cannot tell whether a look-up just found this phone.
    Counter.objects.get_or_create(name=f"sms:{purpose}:{phone_index[:32]}")
    Counter.objects.select_for_update().get(name=f"sms:{purpose}:{phone_index[:32]}")
    hour_ago = now - timedelta(hours=1)
    recent = SmsCode.objects.filter(phone_index=phone_index, purpose=purpose, created_at__gte=hour_ago)
    if recent.filter(created_at__gte=now - timedelta(seconds=settings.BOAI_SMS_MIN_INTERVAL_SECONDS)).exists():
        raise RateLimited(
            _("A code was sent less than a minute ago. Please wait before asking again."), code="rate_limited_phone"
        )
    if recent.count() >= settings.BOAI_SMS_PER_PHONE_PER_HOUR:
        raise RateLimited(
            _("Too many codes for this phone number. Please try again in an hour."), code="rate_limited_phone"
        )
    if ip and SmsCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= settings.BOAI_SMS_PER_IP_PER_HOUR:
        raise RateLimited(_("Too many codes from this network. Please try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        phone_index=phone_index,
        purpose=purpose,
        code_hash=_code_hash(code, phone_index),
        ip=ip,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.BOAI_SMS_CODE_MINUTES),
    )
    # Sent by a worker: the answer's timing then does not tell whether a look-up found a phone. A code
    # not to deliver is queued all the same, as an empty message the worker drops (same work here).
    message = text.format(code=code, minutes=settings.BOAI_SMS_CODE_MINUTES) if deliver else ""
    enqueue_on_commit(send_sms_task, phone if deliver else "", message, code if deliver else "", run_here_if_down=True)


SMS_MAX_ATTEMPTS = 5


def sms_code_check(*, phone: str, purpose: str, code: str, now=None) -> int:
    """Check a code without using it up; returns its id for ``sms_code_consume``. A wrong code counts
    against the code (5 tries), committed even if the caller's work fails afterwards."""
    now = now or timezone.now()
    code = (code or "").strip()
    phone_index = index_for("phone", phone) or ""
    error = None
    with transaction.atomic():  # a wrong try is counted and committed before the error is raised
        sent = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=phone_index, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if sent is None:
            error = _("This code has expired or was not requested. Ask for a new code.")
        elif sent.attempts >= SMS_MAX_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new code.")
        elif not code.isdigit() or not crypto.constant_time_equal(_code_hash(code, phone_index), sent.code_hash):
            sent.attempts += 1
            sent.save(update_fields=["attempts"])
            error = _("The code is not correct (%(left)d tries left).") % {"left": SMS_MAX_ATTEMPTS - sent.attempts}
    if error:
        raise InvalidInput(error, field="code")
    return sent.pk


def sms_code_consume(*, code_id: int, now=None) -> None:
    """Use the code up inside the caller's transaction: a second use is refused."""
    if not SmsCode.objects.filter(pk=code_id, used_at__isnull=True).update(used_at=now or timezone.now()):
        raise InvalidInput(_("This code has already been used. Ask for a new code."), field="code")
