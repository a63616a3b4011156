"""Registrations: every rule a registration must meet, whichever door it came in by (portal, paper
form, API, import), and its status changes."""

import dataclasses
import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm, role_has_perm
from boai.accounts.scoping import user_region_prefix
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.fields import index_for
from boai.core.models import Attachment
from boai.core.people import (
    OrganWish,
    Tissue,
    clean_family,
    contact_problems,
    family_problems,
    identity_problems,
    name_problem,
    normalise_mobile,
)
from boai.core.services import (
    PROVINCE_CODE,
    attachment_store,
    counter_next,
)
from boai.core.workflow import transition_take, version_check
from boai.lib.pinyin import initials
from boai.lib.text import free_text_problem

from .. import extensions, notices
from ..data import PersonData
from ..models import ConsentRecord, HeldEntry, Refusal, Registration
from ..tally import tally_add, tally_change, tally_keys
from ..workflow import REGISTRATION, consent_record
from .duplicates import duplicates_detect
from .held import CITIZEN_ROLE, deceased_registration, entry_hold, hold_reason

DECEASED_CODE = "person_deceased"
REFUSAL_ON_RECORD = "refusal_on_record"  # never shown: the portal answers neutrally
DECEASED_MESSAGE = gettext_lazy("This person is registered as deceased and cannot be registered again.")
ADULT = (18, gettext_lazy("Only adults (18 or older) can register."))


def adult_from(birth_date: date) -> date:
    """The day a person born on ``birth_date`` turns 18 (born on 29 February: 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + ADULT[0])
    except ValueError:  # 29 February, in a year that has none
        return date(birth_date.year + ADULT[0], 3, 1)


def signed_on_problems(signed_on: date | None, birth_date: date | None, *, today: date, errors: list) -> None:
    """The day the person signed (a paper form or an event entry typed in later): neither after
    ``today`` (Beijing) nor before the day they turned 18. None: signed the day it is entered."""
    if signed_on is None:
        return
    if not isinstance(signed_on, date):
        errors.append(("signed_on", _("Enter the day the person signed as a date, for example 2026-01-31.")))
    elif signed_on > today:
        errors.append(
            ("signed_on", _("The day the person signed (%(day)s) is in the future.") % {"day": signed_on.isoformat()})
        )
    elif birth_date and signed_on < adult_from(birth_date):
        errors.append(
            (
                "signed_on",
                _("The day the person signed (%(day)s) is before they turned 18 (%(adult)s).")
                % {"day": signed_on.isoformat(), "adult": adult_from(birth_date).isoformat()},
            )
        )


_ORGANS, _TISSUES = frozenset(OrganWish.values), frozenset(Tissue.values)  # built once: an import checks 100,000 rows


def validate_person(data: PersonData, *, today: date, known_counties: set | None = None) -> PersonData:
    """Check every rule of a registration: the person (``core.people``: an adult with an ID document)
    and the wish. Returns the data normalised, as a new object (``data`` is left as it was); raises
    ``InvalidFields`` naming every field refused, the first one first."""
    errors: list = []
    changes = identity_problems(data, today=today, errors=errors, min_age=ADULT)
    birth_known = not any(name == "birth_date" for name, _message in errors)  # else already refused
    birth_date = changes.get("birth_date", data.birth_date) if birth_known else None
    signed_on_problems(data.signed_on, birth_date, today=today, errors=errors)
    changes |= contact_problems(data, errors=errors, known_counties=known_counties)
    organs = list(data.organs or [])
    unknown = (set(organs) - _ORGANS) | (set(data.tissues or []) - _TISSUES)
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
    elif problem := name_problem(changes["executor_name"]):
        errors.append(("executor_name", problem))
    family_problems(data.family_informed, errors=errors)
    if len(changes["executor_relationship"]) > 32:
        errors.append(("executor_relationship", _("The relationship may have at most 32 characters.")))
    elif problem := free_text_problem(changes["executor_relationship"]):
        errors.append(("executor_relationship", problem))
    if data.body and not changes["executor_name"]:
        errors.append(("executor_name", _("A body donation needs an executor: the person who will notify us.")))
    if data.executor_phone:
        try:
            changes["executor_phone"] = normalise_mobile(data.executor_phone, field="executor_phone")
        except InvalidInput as exc:
            errors.append((exc.field, str(exc.message)))
    if errors:
        raise InvalidFields(errors)
    return dataclasses.replace(data, **changes)


def registration_from_data(
    data: PersonData, *, number: str, channel: str, now: datetime, campaign: str | None = None
) -> Registration:
    """An unsaved Registration from validated data."""
    return Registration(**registration_values(data, number=number, channel=channel, now=now, campaign=campaign))


def registration_values(
    data: PersonData, *, number: str, channel: str, now: datetime, campaign: str | None = None
) -> dict:
    """A new registration's columns from validated data: the one place that maps PersonData to columns
    (``registration_from_data``, and the import's ``bulk.instances``)."""
    return {
        "number": number,
        "name": data.name,
        "name_initials": initials(data.name),
        "sex": data.sex,
        "ethnic_group": data.ethnic_group,
        "id_type": data.id_type,
        "id_number": data.id_number,
        "birth_date": data.birth_date,
        "phone": data.phone,
        "region_id": data.region_code,
        "address": data.address,
        "organs": data.organs,
        "tissues": data.tissues,
        "body": data.body,
        "family_informed": data.family_informed,
        "executor_name": data.executor_name,
        "executor_relationship": data.executor_relationship,
        "executor_phone": data.executor_phone,
        "campaign": (data.campaign if campaign is None else campaign or "")[:32],
        "channel": channel,
        "registered_at": now,
        "signed_on": data.signed_on or timezone.localdate(now),
        "verify_code": secrets.token_urlsafe(12),
    }


def attribution_checked(data: PersonData, actor) -> PersonData:
    """``data`` with its campaign code as it may be kept: see ``registration_create``."""
    code = (data.campaign or "").strip()
    if not code:
        return data
    if getattr(actor, "role", "") == CITIZEN_ROLE:
        return data if extensions.title_for(code) else dataclasses.replace(data, campaign="")
    if not getattr(actor, "is_authenticated", False):  # the system (demo data, jobs) writes what it was given
        return data
    if not extensions.allowed_for(actor, code):
        raise InvalidInput(_("Choose a campaign or event of your area, or none."), field="campaign")
    return dataclasses.replace(data, campaign=code)


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
    held: HeldEntry | None = None,
    consented_at: datetime | None = None,
) -> Registration | HeldEntry:
    """Register a wish. Without consent to the current notice nothing is stored.

    An entry by staff whose person has an active registration (or an unrevoked refusal) outside the
    staff's area is not refused, which would confirm that record to them, but held for review
    (``services.held``): the answer is then a ``HeldEntry``, the same whatever the reason. Inside
    their area they are told plainly (``Conflict`` duplicate_registration, or person_deceased when
    the person's registration is marked deceased: nobody registers after their death). A citizen's
    entry for a person with a refusal on record is held too (it must not revoke the refusal); for a
    deceased person it is refused, which the portal answers neutrally. ``held``: the entry a
    reviewer is registering now (``held_decide``). ``consented_at``: when the person signed, when that
    was before the entry (a form collected offline at an event and synced later).

    ``data.campaign``: the campaign or event the entry came through. A citizen's unknown code is
    dropped (the portal's link may be old or mistyped); staff may name only a code they may attribute
    to (``extensions.allowed_for``), whatever door the entry came in by."""
    now = now or timezone.now()
    data = attribution_checked(data, actor)
    if consented_at and not data.signed_on:  # the form was signed before it was typed in
        data = dataclasses.replace(data, signed_on=timezone.localdate(consented_at))
    if consent_version not in notices.TEXTS:
        raise InvalidInput(_("Please read the notice on personal information and agree to it."), field="consent")
    data = validate_person(data, today=timezone.localdate(now))
    check_area(data.region_code, actor)
    index = index_for("id_number", data.id_number)
    reason = None if held else hold_reason(actor, index)
    if reason:
        return entry_hold(
            actor=actor,
            data=data,
            reason=reason,
            channel=channel,
            consent_version=consent_version,
            now=now,
            consented_at=consented_at,
        )
    if Registration.objects.filter(id_number_index=index, status=Registration.Status.ACTIVE).exists():
        raise Conflict(_("This person already has an active registration."), code="duplicate_registration")
    if deceased_registration(index) is not None:  # the portal turns this into its neutral answer
        raise Conflict(str(DECEASED_MESSAGE), code=DECEASED_CODE)
    reg = registration_from_data(data, number=_registration_number(now), channel=channel, now=now)
    try:
        with transaction.atomic():
            reg.save()
            tally_add([reg])  # counted in the same transaction (registry.tally)
    except IntegrityError as exc:  # the partial unique index: a concurrent registration of the same person
        reason = None if held else hold_reason(actor, index)
        if reason:  # it came in just now, outside this clerk's area: the same answer as above
            return entry_hold(
                actor=actor,
                data=data,
                reason=reason,
                channel=channel,
                consent_version=consent_version,
                now=now,
                consented_at=consented_at,
            )
        raise Conflict(_("This person already has an active registration."), code="duplicate_registration") from exc
    consent_record(
        reg,
        kind=ConsentRecord.Kind.SENSITIVE_DATA,
        channel=channel,
        ip=ip,
        now=held.entered_at if held else (consented_at or now),  # when the person gave it
        version=consent_version,
    )
    if held:
        Attachment.objects.filter(owner_type=held._meta.label_lower, owner_id=str(held.pk)).update(
            owner_type=reg._meta.label_lower, owner_id=str(reg.pk)
        )  # the signed form, kept with the entry while it was held
    duplicates_detect([reg], now=now)
    refusals_revoke_by([reg], actor=actor, now=now)
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
            "held": held.reference if held else "",
        },
    )
    return reg


def refusals_revoke_by(registrations: list[Registration], *, actor, now: datetime) -> list[Refusal]:
    """A later registration revokes the person's earlier refusal made in life: the later statement
    wins (as a refusal withdraws an earlier registration, ``refusal_record``). Both stay in the
    person's history: the refusal is kept, marked revoked by the registration. Call inside the
    registration's transaction. Returns the refusals revoked, so that the caller can warn the staff."""
    return refusals_revoke(refusals_to_revoke(registrations, actor=actor), actor=actor, now=now)


def refusals_to_revoke(registrations: list[Registration], *, actor) -> list[tuple[Refusal, Registration]]:
    """The unrevoked refusals of these registrations' people, locked, each with the registration that
    revokes it (``refusals_revoke`` revokes them). An import locks them batch by batch and revokes
    them at its end, after its tally: every writer takes the tally before the audit chain's head."""
    # the index written with the registration (BlindIndexField), computed again only when absent
    by_index = {getattr(r, "id_number_index", None) or index_for("id_number", r.id_number): r for r in registrations}
    by_index.pop(None, None)
    if not by_index:
        return []
    # A refusal recorded at the same moment waits here, then sees the registration (refusal_record).
    # FOR NO KEY UPDATE: revokers still wait for each other, but a row that refers to the refusal (a held
    # entry) is not held up at its commit, as it would be by FOR UPDATE for as long as an import runs.
    refusals = list(
        Refusal.objects.select_for_update(no_key=True).filter(
            id_number_index__any_of=list(by_index), revoked_at__isnull=True
        )
    )
    if refusals and getattr(actor, "role", "") == CITIZEN_ROLE:
        # recorded while this online registration was being made (hold_reason saw none): a stranger
        # never revokes a refusal; the whole registration is undone and the portal holds it instead
        raise Conflict(_("A refusal is on record for this person."), code=REFUSAL_ON_RECORD)
    return [(refusal, by_index[refusal.id_number_index]) for refusal in refusals]


def refusals_revoke(pairs: list[tuple[Refusal, Registration]], *, actor, now: datetime) -> list[Refusal]:
    """Revoke each (locked) refusal by its registration (``refusals_to_revoke``), audited."""
    for refusal, reg in pairs:
        refusal.revoked_by_registration = reg
        reason = _("Revoked by the later registration %(number)s") % {"number": reg.number}
        refusal_revoked(refusal, actor=actor, now=now, reason=reason, changes={"registration": reg.number})
    return [refusal for refusal, _reg in pairs]


def refusal_revoked(refusal: Refusal, *, actor, now: datetime, reason: str, changes: dict) -> None:
    """Mark a (locked) refusal revoked and audit it: by a later registration or by a statement."""
    refusal.revoked_at, refusal.revocation_reason = now, reason[:200]
    refusal.revoked_by = actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None
    refusal.save(
        update_fields=["revoked_at", "revoked_by_registration", "revoked_by", "revoked_on", "revocation_reason"]
    )
    changes = {**changes, "stated_on": refusal.stated_on, "reason": reason[:200]}
    audit_log(action="registry.refusal.revoked", actor=actor, obj=refusal, now=now, changes=changes)


@transaction.atomic
def registration_unmask(*, registration: Registration, actor, reason: str) -> dict:
    """Reveal the protected fields of one record: needs the permission and a reason; audited."""
    check_perm(actor, "records.unmask")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("State why you need to see the full data (at least 4 characters)."), field="reason")
    audit_log(
        action="registry.registration.unmasked",
        actor=actor,
        obj=registration,
        changes={"fields": ["id_number", "birth_date", "phone", "address"], "reason": reason[:200]},
    )
    return {
        "id_number": registration.id_number,
        "birth_date": registration.birth_date,
        "phone": registration.phone,
        "address": registration.address,
    }


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
    before_keys = tally_keys(reg)
    for key in diff:
        setattr(reg, "region_id" if key == "region_code" else key, after[key])
    reg.name_initials = initials(reg.name)
    reg.version += 1
    reg.save()
    tally_change(before_keys, reg)
    audit_log(action="registry.registration.amended", actor=actor, obj=reg, now=now, changes=diff)
    return reg


@transaction.atomic
def registration_campaigns_set(campaigns: dict[int, str]) -> None:
    """Attribute registrations to campaigns or events after the fact ({registration id: code}), e.g. the
    demo data; the tally follows."""
    for reg in Registration.objects.select_for_update().filter(pk__in=sorted(campaigns)).order_by("pk"):
        before = tally_keys(reg)
        reg.campaign = (campaigns[reg.pk] or "")[:32]
        Registration.objects.filter(pk=reg.pk).update(campaign=reg.campaign)
        tally_change(before, reg)


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
) -> Registration | HeldEntry:
    """A branch enters a signed paper form: the registration and the scan of the signed form together."""

    if not consent_signed:
        raise InvalidInput(_("Confirm that the person signed the consent on the paper form."), field="consent_signed")
    if scan is None:
        raise InvalidInput(_("Upload the scan of the signed form."), field="scan")
    reg = registration_create(actor=actor, data=data, channel=channel, consent_version=notices.CURRENT, ip=ip, now=now)
    attachment_store(owner=reg, kind="signed_form", upload=scan, actor=actor, now=now)  # or the held entry
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


@transaction.atomic
def registration_mark_donated(*, registration: Registration, actor, died_on: date, case, now=None) -> Registration:
    """A donation case counted a donation: the registration reads "deceased — donated"."""
    now = now or timezone.now()
    reg = Registration.objects.select_for_update().get(pk=registration.pk)  # two cases of one person: one waits
    if reg.donated_on:
        return reg
    data = {"died_on": died_on, "case": case}
    return transition_take(reg, to="donated", actor=actor, version=None, now=now, data=data, flow=REGISTRATION)
