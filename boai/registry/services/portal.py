"""The public portal's writes: SMS codes, registering online, the look-up by ID number and code,
a copy of one's own data."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.audit.selectors import entry_exists
from boai.audit.services import Actor, audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput, RateLimited
from boai.core.models import SmsCode
from boai.core.people import (
    normalise_mobile,
)
from boai.core.queue import enqueue_on_commit
from boai.core.services import (
    sms_code_check,
    sms_code_consume,
    sms_code_send,
)
from boai.core.tasks import send_sms_task
from boai.lib import crypto

from .. import notices
from ..models import HeldEntry, Registration
from ..selectors import active_registration, latest_registration
from .held import CITIZEN_ROLE
from .registrations import (
    DECEASED_CODE,
    REFUSAL_ON_RECORD,
    PersonData,
    check_area,
    registration_create,
    validate_person,
)

CITIZEN = Actor(username="citizen", role=CITIZEN_ROLE)


REGISTER_SMS = gettext_lazy(
    "[Yunnan Red Cross] Your code for registering your donation wish is {code}. "
    "It is valid for {minutes} minutes. Do not share it."
)


LOOKUP_SMS = gettext_lazy(
    "[Yunnan Red Cross] Your code for looking up your donation registration is {code}. "
    "It is valid for {minutes} minutes. Do not share it."
)


REGISTER_AGAIN_SMS = gettext_lazy(
    "[Yunnan Red Cross] Someone tried to register a donation wish online with your ID number and another "
    "phone. Your registration stays as it is. If it was you with a new phone, a Red Cross branch can change "
    "the phone on your registration. If it was not you, you need do nothing."
)

RECEIVED_ANSWER = gettext_lazy(
    "We have received your request. If this ID number is already on record, the record stays as it is "
    "and the Red Cross will check with the person concerned."
)

REGISTER_AGAIN_NOTICE_EVERY = timedelta(days=1)  # the registered phone hears of new attempts at most this often


@dataclass(frozen=True)
class OnlineResult:
    """What registering online led to. ``created``: the new registration. ``registration`` alone: this
    ID number was already registered with the very phone just proven, so the person may see it. Neither:
    the neutral answer (``RECEIVED_ANSWER``): the ID number is registered with another phone, which is
    told; the visitor learns no more than the answer itself."""

    registration: Registration | None = None
    created: bool = False


def registration_online_check(*, data: PersonData, consent_version: str | None, today: date) -> PersonData:
    """Every rule the portal can check before a code is spent, all at once (the person, the wish, the
    county, the consent): the data normalised, or ``InvalidFields`` naming every field refused."""
    errors: list = []
    try:
        data = validate_person(data, today=today)
    except InvalidFields as exc:
        errors.extend(exc.items)
    if not any(name == "region" for name, _message in errors):
        try:
            check_area(data.region_code, CITIZEN)
        except InvalidInput as exc:
            errors.append((exc.field, str(exc.message)))
    if consent_version not in notices.TEXTS:
        errors.append(("consent", _("Please read the notice on personal information and agree to it.")))
    if errors:
        raise InvalidFields(errors)
    return data


def registration_send_code(*, phone: str, ip: str | None) -> None:
    """The first step of registering online: prove the phone."""
    phone = normalise_mobile(phone)
    with transaction.atomic():
        sms_code_send(phone=phone, purpose=SmsCode.Purpose.REGISTER, text=str(REGISTER_SMS), ip=ip)


def registration_request_code(
    *, data: PersonData, consent_version: str | None, ip: str | None, now: datetime | None = None
) -> PersonData:
    """The portal's "send code": the whole form is checked first, so that no code is spent on a form
    that cannot be registered; then the code goes to the phone given. Returns the data normalised."""
    now = now or timezone.now()
    data = registration_online_check(data=data, consent_version=consent_version, today=timezone.localdate(now))
    registration_send_code(phone=data.phone, ip=ip)
    return data


def registration_register_online(
    *, data: PersonData, code: str, consent_version: str | None, ip: str | None, now: datetime | None = None
) -> OnlineResult:
    """A citizen registers on the portal: the consent, a valid form and the phone's code, or nothing.

    An ID number that already has an active registration is not confirmed to a stranger: only when
    the phone just proven is the registered phone is the registration given back (the person may
    see it); otherwise the answer is the neutral one and the registered phone is told. The same
    neutral answer, and no registration, when the person recorded a refusal (the entry is held for
    province review: a stranger knowing only the ID number must not revoke it) or is registered as
    deceased (nothing kept)."""
    now = now or timezone.now()
    # explain every form error before spending the code
    data = registration_online_check(data=data, consent_version=consent_version, today=timezone.localdate(now))
    code_id = sms_code_check(phone=data.phone, purpose=SmsCode.Purpose.REGISTER, code=code, now=now)
    with transaction.atomic():  # used up whatever happens next: one code cannot probe many ID numbers
        sms_code_consume(code_id=code_id, now=now)
    existing = active_registration(data.id_number)
    if existing is None:
        try:
            try:
                reg = _create_online(data, consent_version=consent_version, ip=ip, now=now)
            except Conflict as exc:
                if exc.code != REFUSAL_ON_RECORD:
                    raise
                # a refusal recorded at this very moment: now seen, the entry is held (once more)
                reg = _create_online(data, consent_version=consent_version, ip=ip, now=now)
            if isinstance(reg, HeldEntry):  # a refusal is on record: staff reach the person first
                return OnlineResult()
            return OnlineResult(registration=reg, created=True)
        except Conflict as exc:  # registered a moment ago by a concurrent request
            if exc.code in (DECEASED_CODE, REFUSAL_ON_RECORD):  # not confirmed: the neutral answer, nobody told
                return OnlineResult()
            existing = active_registration(data.id_number) if exc.code == "duplicate_registration" else None
            if existing is None:
                raise
    return _registered_already(existing, phone=data.phone, now=now)


def _create_online(data: PersonData, *, consent_version, ip, now) -> Registration | HeldEntry:
    with transaction.atomic():
        return registration_create(
            actor=CITIZEN,
            data=data,
            channel=Registration.Channel.ONLINE,
            consent_version=consent_version,
            ip=ip,
            now=now,
        )


def _registered_already(existing: Registration, *, phone: str, now: datetime) -> OnlineResult:
    with transaction.atomic():
        # concurrent attempts on one registration queue here, so the registered phone hears of them once
        existing = Registration.objects.select_for_update().get(pk=existing.pk)
        if normalise_mobile(existing.phone) == phone:  # the phone just proven is the registered phone
            audit_log(action="registry.registration.looked_up", actor=CITIZEN, obj=existing, now=now)
            return OnlineResult(registration=existing)
        told = entry_exists(
            action="registry.registration.register_again",
            object_type="registry.registration",
            object_id=str(existing.pk),
            created_at__gte=now - REGISTER_AGAIN_NOTICE_EVERY,
            changes__notified=True,
        )
        audit_log(
            action="registry.registration.register_again",
            actor=CITIZEN,
            obj=existing,
            now=now,
            changes={"phone": phone, "notified": not told},
        )
        if not told:
            registered_phone, text = existing.phone, str(REGISTER_AGAIN_SMS)
            enqueue_on_commit(send_sms_task, registered_phone, text, run_here_if_down=True)
    return OnlineResult()


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
