"""Registry writes: registering (online, on paper, by API), withdrawing, unmasking, the public
look-up. Every rule a registration must meet is checked here, whichever door it came in by."""

import dataclasses
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import role_has_perm
from boai.accounts.scoping import user_region_prefix
from boai.audit.services import Actor, audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed, RateLimited
from boai.core.fields import index_for
from boai.core.models import SmsCode
from boai.core.people import (
    OrganWish,
    Person,
    Tissue,
    clean_family,
    clean_id_number,
    contact_problems,
    identity_problems,
    normalise_mobile,
)
from boai.core.services import (
    PROVINCE_CODE,
    attachment_store,
    counter_next,
    sms_code_check,
    sms_code_consume,
    sms_code_send,
)
from boai.core.workflow import transition_take, version_check
from boai.lib import crypto
from boai.lib.pinyin import initials

from . import notices
from .models import ConsentRecord, DuplicateCandidate, Refusal, Registration
from .workflow import REGISTRATION, consent_record

CITIZEN = Actor(username="citizen", role="public")
ADULT = (18, gettext_lazy("Only adults (18 or older) can register."))


@dataclass
class PersonData(Person):
    """What a registration form, an import row or an API body says about a person and their wish."""

    organs: list = field(default_factory=list)
    tissues: list = field(default_factory=list)
    body: bool = False
    family_informed: list = field(default_factory=list)
    executor_name: str = ""
    executor_relationship: str = ""
    executor_phone: str = ""
    campaign: str = ""


def validate_person(data: PersonData, *, today: date, known_counties: set | None = None) -> PersonData:
    """Check every rule of a registration: the person (``core.people``: an adult with an ID document)
    and the wish. Returns the data normalised, as a new object (``data`` is left as it was); raises
    ``InvalidFields`` naming every field refused, the first one first."""
    errors: list = []
    changes = identity_problems(data, today=today, errors=errors, min_age=ADULT)
    changes |= contact_problems(data, errors=errors, known_counties=known_counties)
    organs = list(data.organs or [])
    unknown = (set(organs) - set(OrganWish.values)) | (set(data.tissues or []) - set(Tissue.values))
    if unknown:
        errors.append(("organs", _("Unknown organ or tissue: %(names)s") % {"names": ", ".join(sorted(unknown))}))
    if OrganWish.ALL in organs:
        organs = [OrganWish.ALL]
    if not (organs or data.tissues or data.body):
        errors.append(("organs", _("Choose at least one thing to donate.")))
    changes |= {
        "organs": organs,
        "tissues": list(data.tissues or []),
        "family_informed": clean_family(data.family_informed),
        "executor_name": (data.executor_name or "").strip(),
        "executor_relationship": (data.executor_relationship or "").strip(),
    }
    if len(changes["executor_name"]) > 64:
        errors.append(("executor_name", _("The executor's name may have at most 64 characters.")))
    if len(changes["executor_relationship"]) > 32:
        errors.append(("executor_relationship", _("The relationship may have at most 32 characters.")))
    if data.body and not changes["executor_name"]:
        errors.append(("executor_name", _("A body donation needs an executor: the person who will notify us.")))
    if data.executor_phone:
        try:
            changes["executor_phone"] = normalise_mobile(data.executor_phone)
        except InvalidInput as exc:
            errors.append((exc.field, str(exc.message)))
    if errors:
        raise InvalidFields(errors)
    return dataclasses.replace(data, **changes)


def registration_from_data(
    data: PersonData, *, number: str, channel: str, now: datetime, campaign: str | None = None
) -> Registration:
    """An unsaved Registration from validated data: the one place that maps PersonData to columns."""
    return Registration(
        number=number,
        name=data.name,
        name_initials=initials(data.name),
        sex=data.sex,
        ethnic_group=data.ethnic_group,
        id_type=data.id_type,
        id_number=data.id_number,
        birth_date=data.birth_date,
        phone=data.phone,
        region_id=data.region_code,
        address=data.address,
        organs=data.organs,
        tissues=data.tissues,
        body=data.body,
        family_informed=data.family_informed,
        executor_name=data.executor_name,
        executor_relationship=data.executor_relationship,
        executor_phone=data.executor_phone,
        campaign=(data.campaign if campaign is None else campaign or "")[:32],
        channel=channel,
        registered_at=now,
        verify_code=secrets.token_urlsafe(12),
    )


def check_area(region_code: str, actor) -> None:
    """Registrations belong to the served province, and staff write only inside their own area."""

    if not region_code.startswith(PROVINCE_CODE[:2]):
        raise InvalidInput(_("Choose a county in Yunnan."), field="region")
    if getattr(actor, "is_authenticated", False):
        prefix = user_region_prefix(actor)
        if prefix and not region_code.startswith(prefix):
            raise InvalidInput(_("This county is outside your area."), field="region")


def _registration_number(now: datetime) -> str:
    year = timezone.localtime(now).year
    return f"YN{year}{counter_next(f'registration:{year}'):06d}"


@transaction.atomic
def registration_create(
    *,
    actor,
    data: PersonData,
    channel: str,
    consent_version: str | None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register a wish. Without consent to the current notice nothing is stored."""
    now = now or timezone.now()
    if consent_version not in notices.TEXTS:
        raise InvalidInput(_("Please read the notice on personal information and agree to it."), field="consent")
    data = validate_person(data, today=timezone.localdate(now))
    check_area(data.region_code, actor)
    if Registration.objects.filter(
        id_number_index=index_for("id_number", data.id_number), status=Registration.Status.ACTIVE
    ).exists():
        raise Conflict(_("This person already has an active registration."), code="duplicate_registration")
    reg = registration_from_data(data, number=_registration_number(now), channel=channel, now=now)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:  # the partial unique index: a concurrent registration of the same person
        raise Conflict(_("This person already has an active registration."), code="duplicate_registration") from exc
    consent_record(
        reg, kind=ConsentRecord.Kind.SENSITIVE_DATA, channel=channel, ip=ip, now=now, version=consent_version
    )
    duplicates_detect([reg], now=now)
    audit_log(
        action="registry.registration.created",
        actor=actor,
        obj=reg,
        now=now,
        changes={
            "name": reg.name,
            "id_number": reg.id_number,
            "phone": reg.phone,
            "region": reg.region_id,
            "channel": channel,
            "organs": reg.organs,
            "tissues": reg.tissues,
            "body": reg.body,
            "consent_version": consent_version,
        },
    )
    return reg


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
    reg = _latest_for(id_number)
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
    reg = _latest_for(id_number)
    phone = reg.phone if reg else "1" + crypto.blind_index(crypto.normalise(id_number), purpose="nophone")[:10]
    code_id = sms_code_check(phone=phone, purpose=SmsCode.Purpose.LOOKUP, code=code)
    with transaction.atomic():
        sms_code_consume(code_id=code_id)
        if reg is None:  # a code can only have been sent where there is a record
            raise InvalidInput(_("This code has expired or was not requested. Ask for a new code."), field="code")
        audit_log(action="registry.registration.looked_up", actor=CITIZEN, obj=reg)
    return reg


def _latest_for(id_number: str) -> Registration | None:
    index = index_for("id_number", id_number)
    if not index:
        return None
    return (
        Registration.objects.filter(id_number_index=index, erased_at__isnull=True)
        .order_by("-registered_at", "-id")
        .first()
    )


@transaction.atomic
def registration_unmask(*, registration: Registration, actor, reason: str) -> dict:
    """Reveal the protected fields of one record: needs the permission and a reason; audited."""
    if not role_has_perm(getattr(actor, "role", ""), "records.unmask"):
        raise NotAllowed()
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("State why you need to see the full data (at least 4 characters)."), field="reason")
    audit_log(
        action="registry.registration.unmasked",
        actor=actor,
        obj=registration,
        changes={"fields": ["id_number", "phone", "address"], "reason": reason[:200]},
    )
    return {"id_number": registration.id_number, "phone": registration.phone, "address": registration.address}


@transaction.atomic
def registration_withdraw(
    *,
    registration: Registration,
    actor,
    reason: str,
    channel: str = "paper",
    ip: str | None = None,
    now: datetime | None = None,
    by_person: bool = True,
) -> Registration:
    """A withdrawal (not a refusal): the wish is no longer active; the person may register again later."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the withdrawal."), field="reason")
    data = {"reason": reason, "channel": channel, "ip": ip, "by_person": by_person}
    return transition_take(
        registration, to=Registration.Status.WITHDRAWN, actor=actor, version=None, now=now, data=data, flow=REGISTRATION
    )


AMENDABLE = (
    "phone",
    "address",
    "region_code",
    "organs",
    "tissues",
    "body",
    "family_informed",
    "executor_name",
    "executor_relationship",
    "executor_phone",
    "ethnic_group",
    "name",
)


@transaction.atomic
def registration_amend(
    *, registration: Registration, actor, changes: dict, version: int | None = None, now: datetime | None = None
) -> Registration:
    """Correct or change a registration. ``version`` is the one the editor saw: if someone saved in
    between, the change is refused instead of silently overwriting theirs."""
    now = now or timezone.now()
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    version_check(REGISTRATION, reg, version)
    if reg.status != Registration.Status.ACTIVE:
        raise Conflict(_("Only an active registration can be changed."), code="not_active")
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(names)s") % {"names": ", ".join(sorted(unknown))})
    current = PersonData(
        name=reg.name,
        id_type=reg.id_type,
        id_number=reg.id_number,
        phone=reg.phone,
        region_code=reg.region_id,
        sex=reg.sex,
        birth_date=reg.birth_date,
        ethnic_group=reg.ethnic_group,
        address=reg.address,
        organs=list(reg.organs),
        tissues=list(reg.tissues),
        body=reg.body,
        family_informed=list(reg.family_informed),
        executor_name=reg.executor_name,
        executor_relationship=reg.executor_relationship,
        executor_phone=reg.executor_phone,
        campaign=reg.campaign,
    )
    before = {k: getattr(current, k) for k in AMENDABLE}
    for key, value in changes.items():
        setattr(current, key, value)
    data = validate_person(current, today=timezone.localdate(now))
    if data.region_code != reg.region_id:
        check_area(data.region_code, actor)
    after = {k: getattr(data, k) for k in AMENDABLE}
    diff = {k: [before[k], after[k]] for k in AMENDABLE if before[k] != after[k]}
    if not diff:
        return reg
    for key in diff:
        setattr(reg, "region_id" if key == "region_code" else key, after[key])
    reg.name_initials = initials(reg.name)
    reg.version += 1
    reg.save()
    audit_log(action="registry.registration.amended", actor=actor, obj=reg, now=now, changes=diff)
    return reg


@transaction.atomic
def registration_data_copied(*, registration: Registration, actor, fmt: str) -> None:
    audit_log(action="registry.registration.data_copied", actor=actor, obj=registration, changes={"format": fmt})


@transaction.atomic
def registration_erase(
    *, registration: Registration, actor, channel: str = "online", ip: str | None = None, now: datetime | None = None
) -> Registration:
    """Erase a withdrawn registrant's personal data (PIPL art. 47). What stays is anonymous: the
    registration number, dates, status, sex, county and birth year, for the published figures."""
    data = {"channel": channel, "ip": ip}
    return transition_take(registration, to="erased", actor=actor, version=None, now=now, data=data, flow=REGISTRATION)


@transaction.atomic
def registration_enter_paper_form(
    *,
    actor,
    data: PersonData,
    channel: str,
    scan,
    consent_signed: bool,
    ip: str | None = None,
    now: datetime | None = None,
) -> Registration:
    """A branch enters a signed paper form: the registration and the scan of the signed form together."""

    if not consent_signed:
        raise InvalidInput(_("Confirm that the person signed the consent on the paper form."), field="consent_signed")
    if scan is None:
        raise InvalidInput(_("Upload the scan of the signed form."), field="scan")
    reg = registration_create(actor=actor, data=data, channel=channel, consent_version=notices.CURRENT, ip=ip, now=now)
    attachment_store(owner=reg, kind="signed_form", upload=scan, actor=actor, now=now)
    return reg


@transaction.atomic
def registration_mark_deceased(
    *, registration: Registration, actor, died_on: date, version: int | None = None, now: datetime | None = None
) -> Registration:
    """A registrant's death, told to the registry (not by a donation case: ``registration_mark_donated``)."""
    return transition_take(
        registration,
        to=Registration.Status.DECEASED,
        actor=actor,
        version=version,
        now=now,
        data={"died_on": died_on},
        flow=REGISTRATION,
    )


@transaction.atomic
def registration_attachment_viewed(*, registration: Registration, attachment, actor) -> None:
    audit_log(
        action="core.attachment.viewed",
        actor=actor,
        obj=registration,
        changes={"kind": attachment.kind, "sha256": attachment.sha256},
    )


@transaction.atomic
def registration_export_logged(*, actor, filters: dict, fmt: str, unmasked: bool, reason: str) -> None:
    """Every export is audited; an unmasked one needs its own permission and a stated reason."""
    if unmasked and not role_has_perm(getattr(actor, "role", ""), "records.export_unmasked"):
        raise NotAllowed()
    if unmasked and len((reason or "").strip()) < 4:
        raise InvalidInput(_("State why you need the full data (at least 4 characters)."), field="reason")
    audit_log(
        action="registry.registration.exported",
        actor=actor,
        object_type="registry.registration",
        changes={
            "format": fmt,
            "unmasked": unmasked,
            "reason": (reason or "")[:200],
            "filters": {k: str(v) for k, v in filters.items()},
        },
    )


def duplicates_detect(registrations, *, now: datetime | None = None) -> int:
    """Queue pairs of active registrations with the same name, birth date and phone but different ID
    numbers. Call inside the transaction that created ``registrations``."""

    now = now or timezone.now()
    by_phone = {}
    for reg in registrations:
        if reg.phone_index:
            by_phone.setdefault(reg.phone_index, []).append(reg)
    found = []
    keys = list(by_phone)
    for start in range(0, len(keys), 1000):
        for existing in Registration.objects.filter(
            phone_index__in=keys[start : start + 1000], status=Registration.Status.ACTIVE
        ).only("id", "name", "birth_date", "phone_index", "id_number_index", "registered_at"):
            for reg in by_phone[existing.phone_index]:
                if (
                    existing.pk != reg.pk
                    and existing.name == reg.name
                    and existing.birth_date == reg.birth_date
                    and existing.id_number_index != reg.id_number_index
                ):
                    kept, other = sorted((existing, reg), key=lambda r: (r.registered_at, r.pk))
                    found.append(DuplicateCandidate(kept_id=kept.pk, other_id=other.pk, found_at=now))
    DuplicateCandidate.objects.bulk_create(found, ignore_conflicts=True)
    return len(found)


@transaction.atomic
def duplicate_decide(*, candidate, actor, merge: bool, note: str = "", now: datetime | None = None):
    """Merge (the later registration is withdrawn as a duplicate of the earlier one) or dismiss."""

    now = now or timezone.now()
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != DuplicateCandidate.State.OPEN:
        raise Conflict(_("Someone has already decided on this pair."), code="decided")
    if merge:
        registration_withdraw(
            registration=candidate.other,
            actor=actor,
            now=now,
            by_person=False,
            reason=_("Duplicate of %(number)s (merged)") % {"number": candidate.kept.number},
        )
    candidate.state = DuplicateCandidate.State.MERGED if merge else DuplicateCandidate.State.DISMISSED
    candidate.decided_by, candidate.decided_at, candidate.note = actor, now, (note or "")[:200]
    candidate.save()
    audit_log(
        action="registry.duplicate.merged" if merge else "registry.duplicate.dismissed",
        actor=actor,
        obj=candidate.kept,
        now=now,
        changes={"other": candidate.other.number, "note": candidate.note},
    )
    return candidate


@transaction.atomic
def import_report_downloaded(*, job, actor) -> None:
    audit_log(action="registry.import.report_downloaded", actor=actor, obj=job, changes={"file": job.filename})


@dataclass(frozen=True)
class RegistryCheck:
    """What the registry says about a person when a donation case opens."""

    registration: Registration | None  # the newest registration (any status)
    refusal: Refusal | None  # a refusal made in life, not revoked

    @property
    def active(self) -> Registration | None:
        reg = self.registration
        return reg if reg is not None and reg.status == Registration.Status.ACTIVE else None

    @property
    def withdrawn(self) -> Registration | None:
        reg = self.registration
        return reg if reg is not None and reg.status == Registration.Status.WITHDRAWN else None


def registry_check(*, id_number: str) -> RegistryCheck:
    """Look a person up by ID number (blind index: exact match only)."""
    index = index_for("id_number", id_number)
    refusal = Refusal.objects.filter(id_number_index=index, revoked_at__isnull=True).first() if index else None
    return RegistryCheck(registration=_latest_for(id_number), refusal=refusal)


@transaction.atomic
def refusal_record(
    *, actor, name: str, id_type: str, id_number: str, region_code: str, stated_on: date, note: str = "", now=None
) -> Refusal:
    """A branch records a refusal made in life from the person's signed statement. An active
    registration of the same person is withdrawn: the later statement wins."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput(_("Enter the name as on the ID document (at most 64 characters)."), field="name")
    id_number = clean_id_number(id_type, id_number, today=timezone.localdate(now))
    check_area(region_code, actor)
    if stated_on > timezone.localdate(now):
        raise InvalidInput(_("The date cannot be in the future."), field="stated_on")
    if registry_check(id_number=id_number).refusal is not None:
        raise Conflict(_("A refusal of this person is already on record."), code="refusal_exists")
    refusal = Refusal.objects.create(
        name=name,
        id_type=id_type,
        id_number=id_number,
        region_id=region_code,
        stated_on=stated_on,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    audit_log(
        action="registry.refusal.recorded",
        actor=actor,
        obj=refusal,
        now=now,
        changes={"name": name, "id_number": id_number, "stated_on": stated_on},
    )
    active = registry_check(id_number=id_number).active
    if active is not None:
        registration_withdraw(registration=active, actor=actor, reason=_("Refusal recorded"), now=now, by_person=True)
    return refusal


@transaction.atomic
def registration_mark_donated(*, registration: Registration, actor, died_on: date, case, now=None) -> Registration:
    """A donation case counted a donation: the registration reads "deceased — donated"."""
    now = now or timezone.now()
    reg = Registration.objects.select_for_update().get(pk=registration.pk)  # two cases of one person: one waits
    if reg.donated_on:
        return reg
    data = {"died_on": died_on, "case": case}
    return transition_take(reg, to="donated", actor=actor, version=None, now=now, data=data, flow=REGISTRATION)
