"""Case writes: opening a case and taking one step of its workflow. Every step goes through
``case_step``, which locks the case, checks the version, the state, the role and every rule the
workflow declares, records the step, its documents and an audit entry in one transaction."""

import json
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import role_has_perm
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.models import Attachment, Organisation
from boai.core.services import attachment_store, counter_next
from boai.registry.services import registration_mark_donated, registry_check

from .models import BodyCase, CaseStep, FamilyHandover, OrganCase, OrganOutcome, RegistryFinding, Signer
from .workflow import BODY, ORGAN, Rule, Step, Workflow, workflow_for

# Values a step keeps out of its timeline row (they are stored encrypted elsewhere, or are files).
_PRIVATE = {"id_number", "contact_phone", "notifier_phone", "scan"}


class RuleBroken(Conflict):
    """A step refused by a rule of the workflow: the code is the rule's, the message names it."""

    def __init__(self, rule: Rule, detail: str | None):
        message = _("Refused by rule %(code)s: %(text)s") % {"code": rule.code, "text": rule.text}
        if detail:
            message = _("%(message)s (%(detail)s)") % {"message": message, "detail": detail}
        super().__init__(message, code=rule.code)


def _storable(data: dict) -> dict:
    """What a step's timeline row keeps: JSON-native, no ID numbers, phones or files."""
    out = {}
    for key, value in data.items():
        if key in _PRIVATE or key.startswith("_") or isinstance(value, UploadedFile):
            continue
        if isinstance(value, Model):
            value = str(value.pk)
        if key == "signers":
            value = [{k: v for k, v in s.items() if k not in _PRIVATE} for s in value]
        out[key] = value
    return json.loads(json.dumps(out, cls=DjangoJSONEncoder))


def _number(flow: Workflow, now: datetime) -> str:
    year = timezone.localtime(now).year
    prefix = "OD" if flow is ORGAN else "BD"
    return f"{prefix}{year}{counter_next(f'case.{flow.kind}.{year}'):05d}"


def _registry_link(case, id_number: str):
    """Look the person up in the registry and note what was found on the (unsaved) case."""
    found = registry_check(id_number=id_number)
    reg = found.registration
    case.registration = reg
    if found.refusal is not None:
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


def _check_rules(rules, case, data, actor) -> None:
    for rule in rules:
        detail = rule.ready(case) if rule.ready else None
        if detail is None and rule.check:
            detail = rule.check(case, data, actor)
        if detail is not None:
            raise RuleBroken(rule, detail)


def _open_duplicate(flow: Workflow, index: str) -> bool:
    return flow.model.objects.filter(id_number_index=index).exclude(state__in=flow.finals).exists()


def _person(case, data: dict) -> None:
    from boai.core.fields import index_for

    case.name, case.sex, case.birth_date = data["name"].strip(), data["sex"], data["birth_date"]
    case.id_type, case.id_number, case.region_id = data["id_type"], data["id_number"], data["region"]
    if _open_duplicate(workflow_for(case), index_for("id_number", case.id_number)):
        raise Conflict(_("This person already has an open case of this kind."), code="case.duplicate")


def _check_inputs(case, data: dict) -> None:
    """What the step form cannot know because it does not see the case."""
    if any(signer["id_number"] == case.id_number for signer in data.get("signers", [])):
        raise InvalidInput(
            _("A signer has the ID number of the person who died: the family signs, not the donor."),
            field="signers",
        )
    cremated = data.get("cremated_on")
    if cremated and case.died_at and cremated < timezone.localdate(case.died_at):
        raise InvalidInput(
            _("The cremation date cannot be before the death (%(date)s).") % {"date": timezone.localdate(case.died_at)},
            field="cremated_on",
        )


def _check_area(region_code: str, actor) -> None:
    """A branch opens cases only inside its own area (as it enters registrations)."""
    from boai.accounts.roles import REGION_SCOPED
    from boai.registry.services import check_area

    if actor.role in REGION_SCOPED:
        check_area(region_code, actor)


def _record(case, *, flow: Workflow, actor, from_state: str, to: str, data: dict, now, occurred_at) -> CaseStep:
    step = CaseStep.objects.create(
        organ_case=case if flow is ORGAN else None,
        body_case=case if flow is BODY else None,
        from_state=from_state,
        to_state=to,
        actor=actor,
        recorded_at=now,
        occurred_at=occurred_at,
        data=_storable(data),
    )
    for signer in data.get("signers", []):
        Signer.objects.create(step=step, **signer)
    for key, value in data.items():
        if isinstance(value, UploadedFile):
            attachment_store(owner=step, kind=key, upload=value, actor=actor, now=now)
    changes = {"state": [from_state or None, to]}
    for key in ("reason", "reason_code", "occurred_at"):
        if data.get(key):
            changes[key] = data[key]
    audit_log(
        action=f"cases.{flow.kind}.{to}" if from_state else f"cases.{flow.kind}.opened",
        actor=actor,
        obj=case,
        changes=changes,
        now=now,
    )
    return step


@transaction.atomic
def organ_case_refer(*, actor, data: dict, now: datetime | None = None) -> OrganCase:
    """An OPO member unit refers a potential donor. The registry is checked at once: an active
    registration is linked, a withdrawal is noted for the coordinator, a refusal stops the case."""
    now = now or timezone.now()
    if not role_has_perm(actor.role, ORGAN.start_perm):
        raise NotAllowed()
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
    _record(
        case,
        flow=ORGAN,
        actor=actor,
        from_state="",
        to=ORGAN.start,
        data=data,
        now=now,
        occurred_at=data["referred_at"],
    )
    if found.refusal is not None:  # stops the case: the exit is recorded as its own step
        reason = _("A refusal made in life is on record in the registry.")
        _advance(case, ORGAN, ORGAN.step(OrganCase.State.REFUSAL_ON_RECORD), actor, {"reason": reason}, now, now)
    return case


@transaction.atomic
def body_case_notify(*, actor, data: dict, now: datetime | None = None) -> BodyCase:
    """A branch records the notification of a death. The registry is checked: a registered body donation
    needs nothing more; otherwise the close relatives' joint written consent is recorded."""
    now = now or timezone.now()
    if not role_has_perm(actor.role, BODY.start_perm):
        raise NotAllowed()
    _check_area(data["region"], actor)
    station = data["station"]
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
    _check_inputs(case, data)
    _registry_link(case, case.id_number)
    _check_rules(BODY.start_rules, case, data, actor)
    reg = case.registration
    registered = reg is not None and case.registry_finding == RegistryFinding.ACTIVE and reg.body
    case.basis = BodyCase.Basis.REGISTRATION if registered else BodyCase.Basis.JOINT
    case.number = _number(BODY, now)
    case.save()
    _record(case, flow=BODY, actor=actor, from_state="", to=BODY.start, data=data, now=now, occurred_at=data["died_at"])
    return case


def step_guard(*, case, to: str, actor, version: int | None) -> Step:
    """The checks that come before the step's fields: the version, the state, the role.
    Raises Conflict (stale, out of order) or NotAllowed; returns the workflow's step."""
    flow = workflow_for(case)
    step = flow.step(to)
    if step is not None and not role_has_perm(actor.role, step.perm):
        raise NotAllowed(_("Your role cannot take this step."))
    if version is not None and version != case.version:
        raise Conflict(
            _("Someone else changed this case in the meantime. Reload it to see the change, then try again."),
            code="case.stale",
        )
    if step is None or case.state not in step.sources:
        raise Conflict(
            _("Refused by rule state.order: “%(to)s” cannot follow “%(state)s”.")
            % {"to": flow.label(to), "state": flow.label(case.state)},
            code="state.order",
        )
    return step


@transaction.atomic
def case_step(*, case, to: str, data: dict, actor, version: int, now: datetime | None = None):
    """Take one step of the case's workflow with the step form's cleaned data."""
    now = now or timezone.now()
    flow = workflow_for(case)
    if version is None:
        raise InvalidInput(_("The case's version is missing."), field="version")
    locked = flow.model.objects.select_for_update().get(pk=case.pk)  # two people on one case: one waits
    step = step_guard(case=locked, to=to, actor=actor, version=version)
    occurred_at = data.get("occurred_at") or now
    last = locked.steps.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    if last and occurred_at < last:  # the law's order is also the order of time
        raise InvalidInput(
            _("The time cannot be before the case's previous step (%(time)s).")
            % {"time": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")},
            field="occurred_at",
        )
    _check_inputs(locked, data)
    _check_rules(step.rules, locked, data, actor)
    return _advance(locked, flow, step, actor, data, now, occurred_at)


def _advance(case, flow: Workflow, step: Step, actor, data: dict, now, occurred_at):
    from_state = case.state
    _EFFECTS.get((flow.kind, step.to), _nothing)(case, data, actor, now, occurred_at)
    if step.exit:
        reason = data.get("reason", "")
        case.exit_reason = str(reason)[:300]
    if step.to in flow.finals:
        case.closed_at = occurred_at
    case.state = step.to
    case.version += 1
    case.save()
    _record(
        case, flow=flow, actor=actor, from_state=from_state, to=step.to, data=data, now=now, occurred_at=occurred_at
    )
    return case


# --- what each step changes besides the state ------------------------------------------------


def _nothing(case, data, actor, now, occurred_at):
    pass


def _evaluate(case, data, actor, now, occurred_at):
    case.procurement_team, case.transplant_team = data["procurement_team"], data["transplant_team"]


def _consent(case, data, actor, now, occurred_at):
    case.consented_organs, case.consented_tissues = data["organs"], data["tissues"]


def _death(case, data, actor, now, occurred_at):
    case.died_at, case.death_category = occurred_at, data["category"]


def _counted(case, actor, now, when):
    case.counted_at = when
    if case.registration_id:
        registration_mark_donated(
            registration=case.registration,
            actor=actor,
            died_on=timezone.localdate(case.died_at or when),
            case=case,
            now=now,
        )


def _procure(case, data, actor, now, occurred_at):
    for row in data["outcomes"]:
        OrganOutcome.objects.create(
            case=case,
            organ=row["organ"],
            recovered=row["recovered"],
            reason=row["reason"],
            reason_text=row["reason_text"],
        )
    if any(row["recovered"] for row in data["outcomes"]):  # a donation is counted when an organ was recovered
        _counted(case, actor, now, occurred_at)


def _allocate(case, data, actor, now, occurred_at):
    for row in data["allocations"]:
        case.outcomes.filter(organ=row["organ"]).update(
            allocation_ref=row["allocation_ref"] or "",
            recipients=row["recipients"] if row["allocation_ref"] else 0,
            not_transplanted=row["not_transplanted"] or "",
        )
    case.beneficiaries = case.outcomes.aggregate(n=Sum("recipients"))["n"] or 0


def _close_organ(case, data, actor, now, occurred_at):
    FamilyHandover.objects.create(
        case=case,
        contact_name=data["contact_name"],
        relationship=data["contact_relationship"],
        phone=data["contact_phone"],
        created_at=now,
    )


def _receive(case, data, actor, now, occurred_at):
    case.received_at = occurred_at
    _counted(case, actor, now, occurred_at)  # a body donation is counted when the body was received
    case.save()
    _certificate(case, "body_reception", actor, now)


def _honour(case, data, actor, now, occurred_at):
    case.state = BodyCase.State.HONOURED  # the certificate checks the state it is issued for
    case.save()
    _certificate(case, "body_honour", actor, now)


def _certificate(case, kind, actor, now):
    """The province's numbered certificate is issued with the step, in its transaction."""
    from boai.certificates.services import body_certificate_issue

    body_certificate_issue(actor=actor, case=case, kind=kind, now=now, check_perm=False)


_EFFECTS = {
    ("organ", OrganCase.State.EVALUATING): _evaluate,
    ("organ", OrganCase.State.CONSENTED): _consent,
    ("organ", OrganCase.State.DEATH_DETERMINED): _death,
    ("organ", OrganCase.State.PROCURED): _procure,
    ("organ", OrganCase.State.ALLOCATED): _allocate,
    ("organ", OrganCase.State.CLOSED): _close_organ,
    ("body", BodyCase.State.RECEIVED): _receive,
    ("body", BodyCase.State.HONOURED): _honour,
}


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
    if not role_has_perm(actor.role, "cases.export"):
        raise NotAllowed()
    audit_log(
        action="cases.export.downloaded",
        actor=actor,
        object_type=f"cases.{kind}case",
        changes={"kind": kind, "filters": filters},
    )
