"""Family records: made by the case-closed hook, or by hand for an older case; changed with an
optimistic lock; members added, changed and removed (removal keeps the name for the visits that met
them); the protected contacts revealed with a reason; the masked export; the outcome letter. Every
write checks its rules first and is saved in one transaction with its audit entry; a refusal writes
nothing."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.models import User
from boai.accounts.roles import check_perm
from boai.accounts.scoping import user_region_prefix, visible
from boai.audit.services import audit_log
from boai.cases.models import BodyCase, FamilyHandover, OrganCase
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.models import Organisation, Region, region_prefix
from boai.core.people import IdType, Relationship, Sex, clean_id_number, name_problem, normalise_mobile
from boai.core.services import checks
from boai.core.workflow import stale_check
from boai.lib.text import free_text_problem
from boai.registry.labels import CHANGE_FORM_OPENED

from ..models import Channel, DonationKind, Family, FamilyMember, OutcomeLetter
from . import followups

STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
TEXTS = ("address", "living_situation", "special_needs")
PROTECTED = ("address", "living_situation", "special_needs")  # the audit names them, never their values
MEMBER_PROTECTED = ("phone", "id_number", "note")


@dataclass
class FamilyData:
    """What a form or an API body says about a family (``region``: the county's code; ``responsible``:
    a user's id or None)."""

    donor_name: str
    donated_on: date | None
    region: str
    donation_kind: str = DonationKind.ORGAN
    reference: str = ""
    address: str = ""
    living_situation: str = ""
    special_needs: str = ""
    responsible: int | None = None
    contact_allowed: bool = True
    preferred_channel: str = Channel.PHONE
    wants_outcome: bool = False

    EDITABLE = (
        "donor_name",
        "donated_on",
        "region",
        "address",
        "living_situation",
        "special_needs",
        "responsible",
        "preferred_channel",
        "wants_outcome",
    )

    @classmethod
    def of(cls, family: Family) -> "FamilyData":
        return cls(
            donor_name=family.donor_name,
            donated_on=family.donated_on,
            region=family.region_id,
            donation_kind=family.donation_kind,
            reference=family.reference,
            address=family.address,
            living_situation=family.living_situation,
            special_needs=family.special_needs,
            responsible=family.responsible_id,
            contact_allowed=family.contact_allowed,
            preferred_channel=family.preferred_channel,
            wants_outcome=family.wants_outcome,
        )


@dataclass
class MemberData:
    name: str
    relationship: str
    phone: str = ""
    sex: str = ""
    id_type: str = ""
    id_number: str = ""
    note: str = ""
    is_main_contact: bool = False

    FIELDS = ("name", "relationship", "phone", "sex", "id_type", "id_number", "note", "is_main_contact")

    @classmethod
    def of(cls, member: FamilyMember) -> "MemberData":
        return cls(**{name: getattr(member, name) for name in cls.FIELDS})


# --- checks -----------------------------------------------------------------------------------------


def _in_scope(code: str, actor) -> bool:
    prefix = user_region_prefix(actor)
    return bool(prefix) and code.startswith(prefix)


def responsible_candidates(*region_codes: str):
    """Active staff of a Red Cross branch whose area covers the county (any of the counties given)."""
    prefixes = {prefix for code in region_codes for prefix in (code[:2], code[:4], code)}
    branches = [
        org.pk
        for org in Organisation.objects.filter(type=Organisation.Type.RC_BRANCH, is_active=True)
        if region_prefix(org.region_id) in prefixes
    ]
    return User.objects.filter(is_active=True, organization_id__in=branches).order_by("username")


def _clean_member(data: MemberData, errors: list, *, prefix: str = "") -> MemberData:
    name = (data.name or "").strip()
    if not name:
        errors.append((f"{prefix}name", _("Enter the family member's name.")))
    elif len(name) > 64:
        errors.append((f"{prefix}name", _("At most 64 characters.")))
    elif problem := name_problem(name):
        errors.append((f"{prefix}name", problem))
    if data.relationship not in Relationship.values:
        errors.append((f"{prefix}relationship", _("Choose how the member is related to the donor.")))
    if data.sex and data.sex not in Sex.values:
        errors.append((f"{prefix}sex", _("Choose the sex from the list.")))
    phone = ""
    if (data.phone or "").strip():
        try:
            phone = normalise_mobile(data.phone)
        except InvalidInput as exc:
            errors.append((f"{prefix}phone", str(exc.message)))
    id_type, id_number = data.id_type or "", (data.id_number or "").strip()
    if id_number:
        try:
            id_number = clean_id_number(id_type or IdType.RESIDENT_ID, id_number, today=timezone.localdate())
            id_type = id_type or IdType.RESIDENT_ID
        except InvalidInput as exc:
            errors.append((f"{prefix}{exc.field or 'id_number'}", str(exc.message)))
    else:
        id_type = ""
    note = (data.note or "").strip()
    if len(note) > 500:
        errors.append((f"{prefix}note", _("At most 500 characters.")))
    elif problem := free_text_problem(note):
        errors.append((f"{prefix}note", problem))
    return MemberData(
        name=name,
        relationship=data.relationship,
        phone=phone,
        sex=data.sex or "",
        id_type=id_type,
        id_number=id_number,
        note=note,
        is_main_contact=bool(data.is_main_contact),
    )


def _clean_family(data: FamilyData, *, actor, errors: list) -> tuple[dict, Region | None, User | None]:
    cleaned: dict = {}
    name = (data.donor_name or "").strip()
    if not name:
        errors.append(("donor_name", _("Enter the donor's name.")))
    elif len(name) > 64:
        errors.append(("donor_name", _("At most 64 characters.")))
    elif problem := name_problem(name):
        errors.append(("donor_name", problem))
    cleaned["donor_name"] = name
    today = timezone.localdate()
    if data.donated_on is None:
        errors.append(("donated_on", _("Enter the date of the donation.")))
    elif data.donated_on > today:
        errors.append(("donated_on", _("The date of the donation cannot be in the future.")))
    elif data.donated_on.year < 1990:
        errors.append(("donated_on", _("The date of the donation is too early.")))
    cleaned["donated_on"] = data.donated_on
    region = Region.objects.filter(code=(data.region or "").strip(), level=Region.Level.COUNTY).first()
    if region is None or not region.code.startswith("53"):
        errors.append(("region", _("Choose the family's county.")))
        region = None
    elif not _in_scope(region.code, actor):
        errors.append(("region", _("Refused by rule area in scope: this county is outside your area.")))
        region = None
    for field in TEXTS:
        value = (getattr(data, field) or "").strip()
        if len(value) > 500:
            errors.append((field, _("At most 500 characters.")))
        elif problem := free_text_problem(value):
            errors.append((field, problem))
        cleaned[field] = value
    responsible = None
    if data.responsible not in (None, ""):
        responsible = User.objects.filter(pk=data.responsible).select_related("organization").first()
        if (
            region is not None
            and (responsible is None or not responsible_candidates(region.code).filter(pk=responsible.pk).exists())
        ) or (region is None and responsible is None):
            errors.append(("responsible", _("Choose a staff member of a branch that covers the family's county.")))
            responsible = None
    if data.preferred_channel not in Channel.values:
        errors.append(("preferred_channel", _("Choose the preferred channel from the list.")))
    cleaned["preferred_channel"] = data.preferred_channel
    cleaned["wants_outcome"] = bool(data.wants_outcome)
    return cleaned, region, responsible


def _find_case(reference: str, actor):
    """The case of that number in the actor's scope, None if no case has it; refused if one has it
    elsewhere or already has a family."""
    for model in (OrganCase, BodyCase):
        if not model.objects.filter(number=reference).exists():
            continue
        case = visible(actor, model).filter(number=reference).first()
        if case is None:
            raise InvalidInput(
                _("No case with this number is in your area. Give the county's own reference instead."),
                field="reference",
            )
        if Family.objects.filter(**{"organ_case" if model is OrganCase else "body_case": case}).exists():
            raise InvalidInput(_("This case already has a family record. Open it instead."), field="reference")
        return case
    return None


# --- the case-closed hook ---------------------------------------------------------------------------


def family_for_closed_case(*, case, actor, when=None) -> Family | None:
    """The family record of a case that has just closed (organ or body), with its main contact: the
    organ case's hand-over (then taken) or the body case's notifier. Nothing when the case has one."""
    is_organ = isinstance(case, OrganCase)
    link = {"organ_case": case} if is_organ else {"body_case": case}
    if Family.objects.filter(**link).exists():
        return None
    moment = case.died_at or when or timezone.now()
    family = Family.objects.create(
        **link,
        reference=case.number,
        donation_kind=DonationKind.ORGAN if is_organ else DonationKind.BODY,
        donor_name=case.name,
        donated_on=timezone.localdate(moment),
        region_id=case.region_id,
        created_by=actor,
    )
    if is_organ:
        handover = FamilyHandover.objects.filter(case=case).first()
        if handover is not None:
            FamilyMember.objects.create(
                family=family,
                name=handover.contact_name,
                relationship=handover.relationship,
                phone=handover.phone,
                is_main_contact=True,
            )
            handover.state = FamilyHandover.State.TAKEN
            handover.save(update_fields=["state"])
    elif case.notifier_name:
        relationship = case.notifier_relationship if case.notifier_relationship in Relationship.values else "other"
        FamilyMember.objects.create(
            family=family,
            name=case.notifier_name,
            relationship=relationship,
            phone=case.notifier_phone,
            is_main_contact=True,
        )
    audit_log(
        action="care.family.created",
        actor=actor,
        obj=family,
        changes={"case": case.number, "by": "case_closed"},
    )
    followups.plan_follow_ups(family, actor=actor)
    return family


# --- records made by hand ---------------------------------------------------------------------------


@transaction.atomic
def family_create(*, actor, data: FamilyData, member: MemberData) -> Family:
    """A family of an older case: linked to the case when ``reference`` is the number of a case in the
    actor's area, kept as a free reference otherwise; with its first member (the main contact)."""
    check_perm(actor, "care.manage")
    errors: list = []
    reference = (data.reference or "").strip()
    case = None
    if not reference:
        errors.append(("reference", _("Enter the case number or a reference.")))
    elif len(reference) > 40:
        errors.append(("reference", _("At most 40 characters.")))
    elif problem := free_text_problem(reference):
        errors.append(("reference", problem))
    else:
        try:
            case = _find_case(reference, actor)
        except InvalidInput as exc:
            errors.append(("reference", str(exc.message)))
        if case is None and not errors and Family.objects.filter(reference=reference).exists():
            errors.append(("reference", _("A family record with this reference already exists.")))
    cleaned, region, responsible = _clean_family(data, actor=actor, errors=errors)
    kind = data.donation_kind
    if case is not None:
        kind = DonationKind.ORGAN if isinstance(case, OrganCase) else DonationKind.BODY
    elif kind not in DonationKind.values:
        errors.append(("donation_kind", _("Choose organ or body donation.")))
    first = _clean_member(member, errors, prefix="member_")
    if errors:
        raise InvalidFields(errors)
    family = Family.objects.create(
        organ_case=case if isinstance(case, OrganCase) else None,
        body_case=case if isinstance(case, BodyCase) else None,
        reference=reference,
        donation_kind=kind,
        region=region,
        responsible=responsible,
        contact_allowed=bool(data.contact_allowed),
        no_contact_since=None if data.contact_allowed else timezone.now(),
        created_by=actor,
        **cleaned,
    )
    first.is_main_contact = True
    _member_save(FamilyMember(family=family), first)
    audit_log(
        action="care.family.created",
        actor=actor,
        obj=family,
        changes={
            "reference": reference,
            "linked": bool(case),
            "region": region.code,
            "members": 1,
            "protected": [f for f in PROTECTED if cleaned[f]],
        },
    )
    followups.plan_follow_ups(family, actor=actor)
    return family


@transaction.atomic
def family_update(*, family: Family, actor, data: FamilyData, version: int | None) -> Family:
    """Change a family's record (not its case link, nor the no-contact wish: the follow-ups area keeps
    that rule). ``version`` is the one the editor read: a save in between refuses this one."""
    check_perm(actor, "care.manage")
    current = Family.objects.select_for_update().get(pk=family.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    errors: list = []
    cleaned, region, responsible = _clean_family(data, actor=actor, errors=errors)
    if errors:
        raise InvalidFields(errors)
    diff: dict = {}
    for name, after in cleaned.items():
        before = getattr(current, name)
        if before != after:
            setattr(current, name, after)
            if name in PROTECTED:
                diff.setdefault("protected", []).append(name)
            else:
                diff[name] = [str(before), str(after)]
    if current.region_id != region.code:
        diff["region"] = [current.region_id, region.code]
        current.region = region
    new_responsible = responsible.pk if responsible else None
    if current.responsible_id != new_responsible:
        diff["responsible"] = responsible.get_username() if responsible else None
        current.responsible = responsible
    if not diff:
        return current
    current.version += 1
    current.save()
    audit_log(action="care.family.changed", actor=actor, obj=current, changes=diff)
    return current


def _member_save(member: FamilyMember, data: MemberData) -> dict:
    diff: dict = {}
    for name in MemberData.FIELDS:
        before, after = getattr(member, name), getattr(data, name)
        if before != after:
            setattr(member, name, after)
            if name in MEMBER_PROTECTED:
                diff.setdefault("protected", []).append(name)
            else:
                diff[name] = [before, after]
    if data.is_main_contact:
        FamilyMember.objects.filter(family=member.family, is_main_contact=True).exclude(pk=member.pk).update(
            is_main_contact=False
        )
    member.save()
    return diff


def _bump(family: Family, version: int | None) -> Family:
    current = Family.objects.select_for_update().get(pk=family.pk)
    stale_check(current, version, message=STALE, code="stale")
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    return current


@transaction.atomic
def member_add(*, family: Family, actor, data: MemberData, version: int | None = None) -> FamilyMember:
    check_perm(actor, "care.manage")
    errors: list = []
    cleaned = _clean_member(data, errors)
    if errors:
        raise InvalidFields(errors)
    current = _bump(family, version)
    if not current.members.filter(active=True).exists():
        cleaned.is_main_contact = True
    member = FamilyMember(family=current)
    _member_save(member, cleaned)
    audit_log(
        action="care.family.member_added",
        actor=actor,
        obj=current,
        changes={"member": member.pk, "relationship": member.relationship},
    )
    return member


@transaction.atomic
def member_update(*, member: FamilyMember, actor, data: MemberData, version: int | None = None) -> FamilyMember:
    check_perm(actor, "care.manage")
    if not member.active:
        raise Conflict(_("This member was removed from the family's list."), code="member_removed")
    errors: list = []
    cleaned = _clean_member(data, errors)
    if errors:
        raise InvalidFields(errors)
    current = _bump(member.family, version)
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    member.family = current
    diff = _member_save(member, cleaned)
    if diff:
        audit_log(action="care.family.member_changed", actor=actor, obj=current, changes={"member": member.pk, **diff})
    return member


@transaction.atomic
def member_remove(*, member: FamilyMember, actor, version: int | None = None) -> FamilyMember:
    """A member no longer on the list: kept (inactive), since visits may name them."""
    check_perm(actor, "care.manage")
    if not member.active:
        raise Conflict(_("This member was removed from the family's list."), code="member_removed")
    current = _bump(member.family, version)
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    member.active = False
    member.is_main_contact = False
    member.save(update_fields=["active", "is_main_contact"])
    audit_log(action="care.family.member_removed", actor=actor, obj=current, changes={"member": member.pk})
    return member


# --- protected data ---------------------------------------------------------------------------------


@transaction.atomic
def family_reveal(*, family: Family, actor, reason: str) -> dict:
    """The family's address and its members' phones and ID numbers in full: needs the permission and a
    reason; audited."""
    check_perm(actor, "care.contact")
    reason = checks.reason(reason, _("State why you need the full contacts (at least 4 characters)."))
    audit_log(
        action="care.family.revealed",
        actor=actor,
        obj=family,
        changes={"fields": ["address", "phone", "id_number"], "reason": reason},
    )
    return {
        "address": family.address,
        "members": [
            {"name": m.name, "relationship": m.get_relationship_display(), "phone": m.phone, "id_number": m.id_number}
            for m in family.members.filter(active=True)
        ],
    }


@transaction.atomic
def family_edit_opened(*, family: Family, actor, fields=("address", "living_situation", "special_needs")) -> None:
    """A change form shows protected data in full to edit it: an unmasked view, audited."""
    check_perm(actor, "care.manage")
    audit_log(
        action="care.family.revealed",
        actor=actor,
        obj=family,
        changes={"fields": list(fields), "reason": CHANGE_FORM_OPENED},
    )


@transaction.atomic
def family_export_logged(*, actor, filters: dict, fmt: str, reason: str, count: int) -> None:
    """Every export (masked) is audited with its reason, its filters and how many rows it holds."""
    check_perm(actor, "care.export")
    reason = checks.reason(reason, _("State why you need this list (at least 4 characters)."))
    audit_log(
        action="care.family.exported",
        actor=actor,
        object_type="care.family",
        changes={
            "format": fmt,
            "reason": reason,
            "rows": count,
            "filters": {k: str(v) for k, v in filters.items() if k != "search" and v not in ("", None, False)},
            "searched": bool(filters.get("search")),
        },
    )


# --- the outcome letter -----------------------------------------------------------------------------


def outcome_of(family: Family) -> tuple[int, list[str]]:
    """(people helped, organs transplanted) of the family's organ case; (0, []) if none yet."""
    case = family.organ_case
    if case is None:
        return 0, []
    rows = case.outcomes.filter(recipients__gt=0)
    organs = list(dict.fromkeys(rows.values_list("organ", flat=True)))
    helped = case.beneficiaries or rows.aggregate(n=Sum("recipients"))["n"] or 0
    return helped, organs


def recipients_per_organ(family: Family) -> dict[str, int]:
    """{organ code: recipients} of the family's organ case (no names: only how many received each)."""
    if family.organ_case is None:
        return {}
    counts: dict[str, int] = {}
    for organ, n in family.organ_case.outcomes.filter(recipients__gt=0).values_list("organ", "recipients"):
        counts[organ] = counts.get(organ, 0) + n
    return counts


def outcome_letter_refusal(family: Family) -> str | None:
    if not family.wants_outcome:
        return _("The family did not ask for the outcome of the donation.")
    if not family.contact_allowed:
        return _("The family asked not to be contacted.")
    helped, organs = outcome_of(family)
    if family.organ_case_id is None or not helped or not organs:
        return _("There is no transplant outcome on record for this donation yet.")
    return None


@transaction.atomic
def outcome_letter_issue(*, family: Family, actor) -> OutcomeLetter:
    """Record the letter (what it says is kept as printed), naming no recipient nor hospital."""
    check_perm(actor, "care.manage")
    family = Family.objects.select_for_update(of=("self",)).select_related("organ_case").get(pk=family.pk)
    if refusal := outcome_letter_refusal(family):
        raise Conflict(refusal, code="care.outcome_letter")
    helped, organs = outcome_of(family)
    letter = OutcomeLetter.objects.create(
        family=family,
        people_helped=helped,
        organs=organs,
        recipients=recipients_per_organ(family),
        issued_by=actor,
        issued_at=timezone.now(),
    )
    audit_log(
        action="care.outcome_letter.issued",
        actor=actor,
        obj=family,
        changes={"letter": letter.pk, "people_helped": helped, "organs": organs},
    )
    return letter
