"""Coordinator records: create, change, link a staff account, reveal the contacts, export. Every write
checks its rules first and is saved in one transaction with its audit entry; a refusal writes nothing.

The person is checked with the shared people vocabulary (``core.people``): name, ID document, sex and
birth date from a resident ID, a mainland mobile. One record per person (the ID number's blind index)."""

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import Role, check_perm
from boai.accounts.scoping import sees, user_region_prefix
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.fields import index_for
from boai.core.models import Organisation, Region
from boai.core.people import identity_problems, normalise_mobile
from boai.core.services import checks
from boai.core.workflow import stale_check
from boai.lib.text import free_text_problem
from boai.registry.labels import CHANGE_FORM_OPENED

from ..models import Coordinator, Education

# The organisations a coordinator works for: a Red Cross branch, or an OPO unit / hospital.
ORGANISATION_TYPES = (Organisation.Type.RC_BRANCH, Organisation.Type.OPO_UNIT, Organisation.Type.HOSPITAL)
BACKGROUND = ("profession", "department", "title")
PROTECTED = ("id_number", "birth_date", "phone", "email")  # the audit names them, never their values
STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")


@dataclass
class CoordinatorData:
    """What a form or an API body says about a coordinator (``region`` and ``organisation`` are codes)."""

    name: str
    id_type: str
    id_number: str
    phone: str
    region: str
    organisation: str
    sex: str = ""
    birth_date: date | None = None
    profession: str = ""
    department: str = ""
    education: str = ""
    title: str = ""
    email: str = ""

    FIELDS = (
        "name",
        "id_type",
        "id_number",
        "sex",
        "birth_date",
        "region",
        "organisation",
        "profession",
        "department",
        "education",
        "title",
        "phone",
        "email",
    )

    @classmethod
    def of(cls, coordinator: Coordinator) -> "CoordinatorData":
        return cls(
            name=coordinator.name,
            id_type=coordinator.id_type,
            id_number=coordinator.id_number,
            sex=coordinator.sex,
            birth_date=coordinator.birth_date,
            region=coordinator.region_id,
            organisation=coordinator.organisation.code,
            profession=coordinator.profession,
            department=coordinator.department,
            education=coordinator.education,
            title=coordinator.title,
            phone=coordinator.phone,
            email=coordinator.email,
        )


class DuplicateCoordinator(Conflict):
    """The person already has a record. ``existing`` is that record when the actor may see it (the page
    links it), None otherwise (the neutral answer: nothing about a record out of the actor's area)."""

    code = "coordinators.one_record_per_person"

    def __init__(self, existing: Coordinator | None):
        self.existing = existing
        if existing is not None:
            message = _(
                "Refused by rule one record per person: %(name)s already has a coordinator record. Open it instead."
            ) % {"name": existing.name}
        else:
            message = _("Refused by rule one record per person: this person is already on record.")
        super().__init__(message, field="id_number")


def _in_scope(code: str, actor) -> bool:
    prefix = user_region_prefix(actor)
    return bool(prefix) and code.startswith(prefix)


def _clean(data: CoordinatorData, *, actor, today: date) -> tuple[CoordinatorData, Organisation, Region]:
    """Every rule at once: an ``InvalidFields`` naming each refusal, or the cleaned data."""
    errors: list = []
    changes = identity_problems(data, today=today, errors=errors, from_id="check")
    region = Region.objects.filter(code=(data.region or "").strip()).first()
    if region is None or not region.code.startswith("53"):
        errors.append(("region", _("Choose the area the coordinator works in (a county, prefecture or the province).")))
    elif not _in_scope(region.code, actor):
        errors.append(("region", _("Refused by rule area in scope: this area is outside your own.")))
    organisation = Organisation.objects.filter(code=(data.organisation or "").strip(), is_active=True).first()
    if organisation is None or organisation.type not in ORGANISATION_TYPES:
        errors.append(("organisation", _("Choose a Red Cross branch, an OPO unit or a hospital.")))
    elif not _in_scope(organisation.region_id, actor):
        errors.append(
            ("organisation", _("Refused by rule organisation in scope: this organisation is outside your area."))
        )
    for name in BACKGROUND:
        value = (getattr(data, name) or "").strip()
        changes[name] = value
        if len(value) > 64:
            errors.append((name, _("At most 64 characters.")))
        elif problem := free_text_problem(value):
            errors.append((name, problem))
    if data.education and data.education not in Education.values:
        errors.append(("education", _("Choose the education from the list.")))
    try:
        changes["phone"] = normalise_mobile(data.phone)
    except InvalidInput as exc:
        errors.append(("phone", str(exc.message)))
    email = (data.email or "").strip()
    changes["email"] = email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("email", _("Enter a valid email address.")))
    if errors:
        raise InvalidFields(errors)
    changes = {k: v for k, v in changes.items() if k in CoordinatorData.FIELDS}
    return dataclasses.replace(data, **changes), organisation, region


def _duplicate(actor, id_number: str, *, exclude: int | None = None) -> None:
    existing = Coordinator.objects.filter(id_number_index=index_for("id_number", id_number)).exclude(pk=exclude).first()
    if existing is not None:
        raise DuplicateCoordinator(existing if sees(actor, existing, perm="coordinators.view") else None)


def _apply(coordinator: Coordinator, data: CoordinatorData, organisation: Organisation, region: Region) -> dict:
    """Set the cleaned values; the changes for the audit entry (protected fields by name only, under
    ``protected``)."""
    diff: dict = {}
    for name in CoordinatorData.FIELDS:
        if name == "organisation":
            before, after = getattr(coordinator, "organisation_id", None), organisation.pk
            if before != after:
                coordinator.organisation = organisation
                diff[name] = organisation.code
            continue
        if name == "region":
            before, after = coordinator.region_id, region.code
            if before != after:
                coordinator.region = region
                diff[name] = [before, after]
            continue
        before, after = getattr(coordinator, name), getattr(data, name)
        if before != after:
            setattr(coordinator, name, after)
            if name in PROTECTED:
                diff.setdefault("protected", []).append(name)
            else:
                diff[name] = [before, after]
    return diff


def _save(coordinator: Coordinator, actor) -> None:
    try:
        with transaction.atomic():  # a savepoint: the race on the unique index ends as the same refusal
            coordinator.save()
    except IntegrityError:
        _duplicate(actor, coordinator.id_number, exclude=coordinator.pk)
        raise


@transaction.atomic
def coordinator_create(*, actor, data: CoordinatorData) -> Coordinator:
    """A new coordinator record (state: applicant), in the actor's area."""
    check_perm(actor, "coordinators.manage")
    cleaned, organisation, region = _clean(data, actor=actor, today=timezone.localdate())
    _duplicate(actor, cleaned.id_number)
    coordinator = Coordinator(created_by=actor)
    diff = _apply(coordinator, cleaned, organisation, region)
    _save(coordinator, actor)
    audit_log(action="coordinators.coordinator.created", actor=actor, obj=coordinator, changes=diff)
    return coordinator


@transaction.atomic
def coordinator_update(*, coordinator: Coordinator, actor, data: CoordinatorData, version: int | None) -> Coordinator:
    """Change a record. ``version`` is the one the editor read: a save in between refuses this one."""
    check_perm(actor, "coordinators.manage")
    current = Coordinator.objects.select_for_update().select_related("organisation").get(pk=coordinator.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    cleaned, organisation, region = _clean(data, actor=actor, today=timezone.localdate())
    _duplicate(actor, cleaned.id_number, exclude=current.pk)
    diff = _apply(current, cleaned, organisation, region)
    if not diff:
        return current
    current.version += 1
    _save(current, actor)
    audit_log(action="coordinators.coordinator.changed", actor=actor, obj=current, changes=diff)
    return current


@transaction.atomic
def coordinator_link_account(*, coordinator: Coordinator, actor, account, version: int | None = None) -> Coordinator:
    """Link a staff account to the record: an active account of role coordinator, in the actor's area,
    not linked to another record."""
    check_perm(actor, "coordinators.manage")
    current = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
    stale_check(current, version, message=STALE, code="stale")
    if account is None or not account.is_active:
        raise InvalidInput(_("Refused by rule active account: choose an active staff account."), field="account")
    if account.role != Role.COORDINATOR:
        raise InvalidInput(
            _("Refused by rule coordinator role: only an account with the coordinator role can be linked."),
            field="account",
        )
    if not (account.organization_id and _in_scope(account.organization.region_id, actor)):
        raise InvalidInput(_("Refused by rule account in scope: this account is outside your area."), field="account")
    if current.user_id == account.pk:
        return current
    if current.user_id is not None:
        raise Conflict(
            _("Refused by rule one account per record: unlink the current account first."), code="already_linked"
        )
    if Coordinator.objects.filter(user=account).exists():
        raise Conflict(
            _("Refused by rule one record per account: this account is already linked to another coordinator record."),
            code="account_taken",
        )
    current.user = account
    current.version += 1
    current.save(update_fields=["user", "version", "updated_at"])
    audit_log(
        action="coordinators.coordinator.account_linked",
        actor=actor,
        obj=current,
        changes={"account": account.get_username()},
    )
    return current


@transaction.atomic
def coordinator_unlink_account(*, coordinator: Coordinator, actor, version: int | None = None) -> Coordinator:
    check_perm(actor, "coordinators.manage")
    current = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
    stale_check(current, version, message=STALE, code="stale")
    if current.user_id is None:
        raise Conflict(_("No staff account is linked to this record."), code="not_linked")
    username = current.user.get_username()
    current.user = None
    current.version += 1
    current.save(update_fields=["user", "version", "updated_at"])
    audit_log(
        action="coordinators.coordinator.account_unlinked", actor=actor, obj=current, changes={"account": username}
    )
    return current


@transaction.atomic
def coordinator_reveal(*, coordinator: Coordinator, actor, reason: str) -> dict:
    """The full phone and email of one coordinator: needs the permission and a reason; audited."""
    check_perm(actor, "coordinators.contact")
    reason = checks.reason(reason, _("State why you need the full phone and email (at least 4 characters)."))
    audit_log(
        action="coordinators.coordinator.revealed",
        actor=actor,
        obj=coordinator,
        changes={"fields": ["phone", "email"], "reason": reason},
    )
    return {"phone": coordinator.phone, "email": coordinator.email}


@transaction.atomic
def coordinator_edit_opened(*, coordinator: Coordinator, actor) -> None:
    """The change form shows the ID number, phone and email in full: an unmasked view, audited."""
    check_perm(actor, "coordinators.manage")
    audit_log(
        action="coordinators.coordinator.revealed",
        actor=actor,
        obj=coordinator,
        changes={"fields": ["id_number", "phone", "email"], "reason": CHANGE_FORM_OPENED},
    )


@transaction.atomic
def coordinator_export_logged(*, actor, filters: dict, fmt: str, reason: str, count: int) -> None:
    """Every export (masked) is audited with its reason, its filters and how many rows it holds."""
    check_perm(actor, "coordinators.export")
    reason = checks.reason(reason, _("State why you need this list (at least 4 characters)."))
    audit_log(
        action="coordinators.coordinator.exported",
        actor=actor,
        object_type="coordinators.coordinator",
        changes={
            "format": fmt,
            "reason": reason,
            "rows": count,
            "filters": {k: str(v) for k, v in filters.items() if k != "search" and v not in ("", None, False)},
            "searched": bool(filters.get("search")),  # the term itself is personal data: not in the log
        },
    )
