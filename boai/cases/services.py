"""Case writes: opening a case and taking one step of its workflow. Every step goes through
``case_step``, a thin wrapper around the workflow engine's ``transition_take``, which locks the case,
checks the role, the version, the state, the time order and every rule the workflow declares, and
records the step, its documents and an audit entry in one transaction."""

from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import REGION_SCOPED, Role, check_perm
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.fields import index_for
from boai.core.models import Attachment, Organisation
from boai.core.people import name_problem
from boai.core.services import counter_next
from boai.core.workflow import Move, RuleBroken, Step, rules_check, transition_guard, transition_take
from boai.registry.selectors import registry_check
from boai.registry.services import check_area

from . import effects
from .models import BodyCase, OrganCase, RegistryFinding, TransplantStaff
from .workflow import BODY, ORGAN, Workflow, own_wish, workflow_for

__all__ = ["RuleBroken", "body_case_notify", "case_step", "organ_case_refer", "step_guard"]


def _number(flow: Workflow, now: datetime) -> str:
    year = timezone.localtime(now).year
    prefix = "OD" if flow is ORGAN else "BD"
    return f"{prefix}{year}{counter_next(f'case.{flow.kind}.{year}'):05d}"


def _national_is_later(found) -> bool:
    """A national registration in force that is later than what the province holds against it (a
    withdrawal of the local registration, or a refusal): the later statement wins, whichever system
    it was made in."""
    national, reg = found.national, found.registration
    if national is None or not national.wish_in_force:
        return False
    if reg is not None and reg.wish_in_force:
        return False  # the local registration carries the case (and says so)
    stated = national.registered_on
    if found.refusal is not None:
        return stated is not None and stated > found.refusal.stated_on
    if reg is not None:  # withdrawn locally
        return stated is not None and reg.withdrawn_at is not None and stated > timezone.localdate(reg.withdrawn_at)
    return True


def _registry_link(case, id_number: str):
    """Look the person up in the registry (both the province's and the national one) and note what
    was found on the (unsaved) case: the latest statement of the person decides."""
    found = registry_check(id_number=id_number)
    reg = found.registration
    case.registration = reg
    if _national_is_later(found):
        case.national_registration = found.national
        case.registry_finding = RegistryFinding.NATIONAL
        case.registry_note = _("Registered nationally, No. %(number)s: %(what)s") % {
            "number": found.national.national_number,
            "what": found.national.what_label(),
        }
        found = replace(found, refusal=None)  # an earlier refusal, replaced by the later national registration
    elif found.refusal is not None:
        case.registry_finding = RegistryFinding.REFUSAL
        case.registry_note = _("Refusal made in life recorded on %(day)s") % {"day": found.refusal.stated_on}
    elif reg is None:
        case.registry_finding = RegistryFinding.NONE
    else:
        case.registry_finding = reg.status
        if found.withdrawn is not None:
            case.registry_note = _("Registration %(number)s withdrawn on %(day)s") % {
                "number": reg.number,
                "day": timezone.localdate(reg.withdrawn_at),
            }
        else:
            case.registry_note = _("Registration %(number)s: %(what)s") % {
                "number": reg.number,
                "what": reg.what_label(),
            }
    return found


def _open_duplicate(flow: Workflow, index: str) -> bool:
    return flow.model.objects.filter(id_number_index=index).exclude(state__in=flow.finals).exists()


def _person(case, data: dict) -> None:
    case.name, case.sex, case.birth_date = data["name"].strip(), data["sex"], data["birth_date"]
    case.id_type, case.id_number, case.region_id = data["id_type"], data["id_number"], data["region"]
    if _open_duplicate(workflow_for(case), index_for("id_number", case.id_number)):
        raise Conflict(_("This person already has an open case of this kind."), code="case.duplicate")


def _check_area(region_code: str, actor) -> None:
    """A branch opens cases only inside its own area (as it enters registrations)."""

    if actor.role in REGION_SCOPED:
        check_area(region_code, actor)


def _opened(case, *, flow: Workflow, actor, data: dict, now, occurred_at) -> None:
    """The case's first row in its timeline and its audit entry ("opened")."""
    move = Move(workflow=flow, step=None, obj=case, actor=actor, data=data, now=now, from_state="", when=occurred_at)
    effects.record(move)
    audit_log(action=flow.action(None), actor=actor, obj=case, changes=effects.audit_changes(move), now=now)


@transaction.atomic
def organ_case_refer(*, actor, data: dict, now: datetime | None = None) -> OrganCase:
    """An OPO member unit refers a potential donor. The registry is checked at once: an active
    registration is linked, a withdrawal is noted for the coordinator, a refusal stops the case."""
    now = now or timezone.now()
    check_perm(actor, ORGAN.start_perm)
    unit = actor.organization
    if unit is None or unit.type != Organisation.Type.OPO_UNIT:
        raise NotAllowed(_("Only staff of an OPO member unit can refer a donor."))
    case = OrganCase(
        unit=unit,
        hospital=data["hospital"].strip(),
        diagnosis=data["diagnosis"].strip(),
        referred_at=data["referred_at"],
        opened_at=now,
        opened_by=actor,
    )
    _person(case, data)
    found = _registry_link(case, case.id_number)
    case.number = _number(ORGAN, now)
    case.save()
    _opened(case, flow=ORGAN, actor=actor, data=data, now=now, occurred_at=data["referred_at"])
    if found.refusal is not None:  # stops the case: the exit is recorded as its own step, taken by the system
        reason = _("A refusal made in life is on record in the registry.")
        case = transition_take(
            case,
            to=OrganCase.State.REFUSAL_ON_RECORD,
            actor=actor,
            version=case.version,
            now=now,
            data={"reason": reason},
            as_system=True,
        )
    return case


def _body_station(actor, chosen) -> Organisation:
    """The station that receives the body: a branch chooses it; a station that the executor or the
    relatives told directly opens the case for itself, never for another station."""
    if actor.role == Role.STATION_STAFF:
        own = actor.organization
        if own is None or own.type != Organisation.Type.RECEPTION_STATION:
            raise NotAllowed(_("Only staff of a body reception station can open a case for their station."))
        if chosen is not None and chosen.pk != own.pk:
            raise InvalidInput(_("A station opens body cases for itself only."), field="station")
        return own
    if chosen is None:
        raise InvalidInput(_("Choose the body reception station."), field="station")
    return chosen


@transaction.atomic
def body_case_notify(*, actor, data: dict, now: datetime | None = None) -> BodyCase:
    """A branch, or the reception station itself, records the notification of a death. The registry is
    checked: a registered body donation needs nothing more; otherwise the close relatives' joint
    written consent is recorded. The death certificate may come now or at acceptance."""
    now = now or timezone.now()
    check_perm(actor, BODY.start_perm)
    _check_area(data["region"], actor)
    station = _body_station(actor, data.get("station"))
    case = BodyCase(
        station=station,
        died_at=data["died_at"],
        place_of_death=data["place_of_death"].strip(),
        notifier_name=data["notifier_name"].strip(),
        notifier_relationship=data["notifier_relationship"],
        notifier_phone=data["notifier_phone"],
        opened_at=now,
        opened_by=actor,
    )
    _person(case, data)
    effects.check_inputs(case, data)
    effects.death_certificate(case, data)
    _registry_link(case, case.id_number)
    rules_check(BODY.start_rules, case, data, actor)
    wish = own_wish(case)
    registered = wish is not None and wish.body
    case.basis = BodyCase.Basis.REGISTRATION if registered else BodyCase.Basis.JOINT
    case.number = _number(BODY, now)
    case.save()
    _opened(case, flow=BODY, actor=actor, data=data, now=now, occurred_at=data["died_at"])
    return case


def step_guard(*, case, to: str, actor, version: int | None) -> Step:
    """The checks that come before the step's fields: the version, the state, the role.
    Raises Conflict (stale, out of order) or NotAllowed; returns the workflow's step."""
    return transition_guard(workflow_for(case), case, to=to, actor=actor, version=version)


def case_step(*, case, to: str, data: dict, actor, version: int, now: datetime | None = None):
    """Take one step of the case's workflow with the step form's cleaned data (the engine locks the
    case, checks the version, the state, the role, the time order and every rule, in one transaction).

    The rules are those in force when the step happened, but never older than the case's own
    recording: a case entered today with its steps typed in 2024 is judged by today's law, one that
    was in Boai before the law changed by the law of its steps' days."""
    now = now or timezone.now()
    if version is None:
        raise InvalidInput(_("The case's version is missing."), field="version")
    occurred_at = data.get("occurred_at") or now
    return transition_take(
        case,
        to=to,
        actor=actor,
        version=version,
        now=now,
        data=data,
        flow=workflow_for(case),
        when=occurred_at,
        rules_when=max(occurred_at, case.opened_at),
    )


@transaction.atomic
def case_attachment_viewed(*, case, attachment: Attachment, actor) -> None:
    audit_log(
        action="cases.attachment.viewed",
        actor=actor,
        obj=case,
        changes={"kind": attachment.kind, "sha256": attachment.sha256},
    )


@transaction.atomic
def cases_exported(*, actor, kind: str, filters: dict) -> None:
    check_perm(actor, "cases.export")
    audit_log(
        action="cases.export.downloaded",
        actor=actor,
        object_type=f"cases.{kind}case",
        changes={"kind": kind, "filters": filters},
    )


def _unit_of(actor) -> Organisation:
    unit = actor.organization
    if unit is None or unit.type != Organisation.Type.OPO_UNIT:
        raise NotAllowed(_("Only staff of an OPO member unit keep its list of procurement and transplant staff."))
    return unit


@transaction.atomic
def unit_staff_add(*, actor, name: str, team: str, now: datetime | None = None) -> TransplantStaff:
    """Record a physician as procurement or transplant staff of the actor's unit: from then on they
    cannot determine the death of the unit's donors (rule ``death.independent_physicians``)."""
    check_perm(actor, "cases.medical")
    unit = _unit_of(actor)
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput(_("Enter the name (at most 64 characters)."), field="name")
    if problem := name_problem(name):
        raise InvalidInput(problem, field="name")
    if team not in TransplantStaff.Team.values:
        raise InvalidInput(_("Choose the team."), field="team")
    staff, created = TransplantStaff.objects.get_or_create(unit=unit, name=name, team=team)
    if not created and staff.active:
        raise Conflict(_("%(name)s is already on this list.") % {"name": name}, code="unit_staff.exists")
    staff.active = True
    staff.save(update_fields=["active"])
    audit_log(action="cases.unit_staff.added", actor=actor, obj=staff, changes={"name": name, "team": team}, now=now)
    return staff


@transaction.atomic
def unit_staff_remove(*, actor, staff: TransplantStaff, now: datetime | None = None) -> TransplantStaff:
    """Take a physician off the list (they left the team); the row stays for the cases it judged."""
    check_perm(actor, "cases.medical")
    if staff.unit_id != _unit_of(actor).pk:
        raise NotAllowed(_("This person is on another unit's list."))
    staff.active = False
    staff.save(update_fields=["active"])
    audit_log(action="cases.unit_staff.removed", actor=actor, obj=staff, changes={"name": staff.name}, now=now)
    return staff
