"""The public portal's writes: SMS codes, registering online, the look-up by ID number and code,
a copy of one's own data."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.audit.services import Actor, audit_log
from boai.core.errors import InvalidInput, RateLimited
from boai.core.models import SmsCode
from boai.core.people import (
    normalise_mobile,
)
from boai.core.services import (
    sms_code_check,
    sms_code_consume,
    sms_code_send,
)
from boai.lib import crypto

from .. import notices
from ..models import Registration
from ..selectors import latest_registration
from .registrations import PersonData, registration_create, validate_person

CITIZEN = Actor(username="citizen", role="public")


REGISTER_SMS = gettext_lazy(
    "[Yunnan Red Cross] Your code for registering your donation wish is {code}. "
    "It is valid for {minutes} minutes. Do not share it."
)


LOOKUP_SMS = gettext_lazy(
    "[Yunnan Red Cross] Your code for looking up your donation registration is {code}. "
    "It is valid for {minutes} minutes. Do not share it."
)


def registration_send_code(*, phone: str, ip: str | None) -> None:
    """The first step of registering online: prove the phone."""
    phone = normalise_mobile(phone)
    with transaction.atomic():
        sms_code_send(phone=phone, purpose=SmsCode.Purpose.REGISTER, text=str(REGISTER_SMS), ip=ip)


def registration_register_online(
    *, data: PersonData, code: str, consent_version: str | None, ip: str | None, now: datetime | None = None
) -> Registration:
    """A citizen registers on the portal: the consent, a valid form and the phone's code, or nothing."""
    now = now or timezone.now()
    if consent_version not in notices.TEXTS:
        raise InvalidInput(_("Please read the notice on personal information and agree to it."), field="consent")
    validate_person(data, today=timezone.localdate(now))  # explain form errors before spending the code
    code_id = sms_code_check(phone=data.phone, purpose=SmsCode.Purpose.REGISTER, code=code, now=now)
    with transaction.atomic():  # used up whatever happens next: one code cannot probe many ID numbers
        sms_code_consume(code_id=code_id, now=now)
    with transaction.atomic():
        return registration_create(
            actor=CITIZEN,
            data=data,
            channel=Registration.Channel.ONLINE,
            consent_version=consent_version,
            ip=ip,
            now=now,
        )


LOOKUP_ANSWER = gettext_lazy(
    "If this ID number is registered, we sent a code to the phone number given at registration."
)


def lookup_send_code(*, id_number: str, ip: str | None) -> None:
    """Send a code to the phone on record, if there is a record. The answer is the same either way,
    so that nobody learns whether an ID number is registered."""
    reg = latest_registration(id_number)
    # Without a record the code goes to no phone, but the same row is written and the same limits
    # apply, so timing and rate limits do not tell the two cases apart.
    phone = reg.phone if reg else "1" + crypto.blind_index(crypto.normalise(id_number), purpose="nophone")[:10]
    try:
        with transaction.atomic():
            sms_code_send(
                phone=phone, purpose=SmsCode.Purpose.LOOKUP, text=str(LOOKUP_SMS), ip=ip, deliver=reg is not None
            )
    except RateLimited as exc:
        # A per-phone limit would tell that this ID has a phone on record: answer as if sent.
        if exc.code != "rate_limited_phone":
            raise


def lookup_verify(*, id_number: str, code: str) -> Registration:
    """The person proved the registered phone: their latest registration."""
    reg = latest_registration(id_number)
    phone = reg.phone if reg else "1" + crypto.blind_index(crypto.normalise(id_number), purpose="nophone")[:10]
    code_id = sms_code_check(phone=phone, purpose=SmsCode.Purpose.LOOKUP, code=code)
    with transaction.atomic():
        sms_code_consume(code_id=code_id)
        if reg is None:  # a code can only have been sent where there is a record
            raise InvalidInput(_("This code has expired or was not requested. Ask for a new code."), field="code")
        audit_log(action="registry.registration.looked_up", actor=CITIZEN, obj=reg)
    return reg


@transaction.atomic
def registration_data_copied(*, registration: Registration, actor, fmt: str) -> None:
    audit_log(action="registry.registration.data_copied", actor=actor, obj=registration, changes={"format": fmt})
