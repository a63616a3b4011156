"""What a case step does besides moving the state, for the workflow engine (``boai.core.workflow``):
the checks every step makes before its rules, each step's effect, the timeline row it records and
the changes its audit entry names. The workflow declaration (``cases.workflow``) names these."""

import json
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.models import User
from boai.core.errors import InvalidInput
from boai.core.services import attachment_store
from boai.registry.services import registration_mark_donated

from .models import CaseStep, FamilyHandover, OrganCase, OrganOutcome, Signer, Witness

# The steps a Red Cross coordinator witnesses, and what the witness row calls them
WITNESSED = {OrganCase.State.PROCURED: Witness.Kind.PROCUREMENT, OrganCase.State.ALLOCATED: Witness.Kind.ALLOCATION}

# Values a step keeps out of its timeline row (they are stored encrypted elsewhere, or are files).
# birth_date: kept (encrypted) on the case itself; beside a masked ID number the date would complete it.
_PRIVATE = {"id_number", "birth_date", "contact_phone", "notifier_phone", "scan", "death_certificate_number"}


def _storable(data: dict) -> dict:
    """What a step's timeline row keeps: JSON-native, no ID numbers, birth dates, phones or files."""
    out = {}
    for key, value in data.items():
        if key in _PRIVATE or key.startswith("_") or isinstance(value, UploadedFile):
            continue
        if isinstance(value, Model):
            value = str(value.pk)
        if key == "signers":  # the relatives: no ID numbers, and their letters of authority are files
            value = [
                {k: v for k, v in s.items() if k not in _PRIVATE and not isinstance(v, UploadedFile)} for s in value
            ]
        out[key] = value
    return json.loads(json.dumps(out, cls=DjangoJSONEncoder))


# A body's dates that cannot come before the death (the transport may precede the station's
# recorded acceptance, not the death), each with what the refusal says.
NOT_BEFORE_DEATH = {
    "cremated_on": gettext_lazy("The cremation date cannot be before the death (%(date)s)."),
    "death_certificate_date": gettext_lazy("The death certificate cannot be dated before the death (%(date)s)."),
    "handover_on": gettext_lazy("This cannot be before the death (%(date)s)."),
    "transported_at": gettext_lazy("This cannot be before the death (%(date)s)."),
}


def check_inputs(case, data: dict) -> None:
    """What the step form cannot know because it does not see the case."""
    if any(signer["id_number"] and signer["id_number"] == case.id_number for signer in data.get("signers", [])):
        raise InvalidInput(
            _("A signer has the ID number of the person who died: the family signs, not the donor."),
            field="signers",
        )
    died = timezone.localdate(case.died_at) if case.died_at else None
    for name, message in NOT_BEFORE_DEATH.items():
        value = data.get(name)
        day = timezone.localdate(value) if isinstance(value, datetime) else value
        if day and died and day < died:
            raise InvalidInput(message % {"date": died}, field=name)
    cremated = data.get("cremated_on")
    if cremated and case.pk:  # a body is cremated after its use, never before it began
        used = case.steps.filter(to_state="in_use").values_list("occurred_at", flat=True).first()
        if used and cremated < timezone.localdate(used):
            raise InvalidInput(
                _("The cremation date cannot be before the body's use began (%(date)s).")
                % {"date": timezone.localdate(used)},
                field="cremated_on",
            )


def guard(move) -> None:
    """Before any rule: the law's order is also the order of time, and the inputs fit the case.
    (The system's own step at referral, a refusal found in the registry, is dated when it was found,
    which may be minutes before the referral time the unit typed: it is not held to that order.)"""
    case = move.obj
    last = case.steps.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    if last and move.when < last and not move.by_system:
        raise InvalidInput(
            _("The time cannot be before the case's previous step (%(time)s).")
            % {"time": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")},
            field="occurred_at",
        )
    check_inputs(case, move.data)
    if not move.by_system:
        after_previous(case, move.data, last)


# Times a step records besides its own, which happened after the case's previous step (the life
# support withdrawn after the ethics approval, the witness during the step).
AFTER_PREVIOUS_STEP = ("treatment_withdrawn_at", "circulatory_arrest_at", "witnessed_at")


def after_previous(case, data: dict, last) -> None:
    for name in AFTER_PREVIOUS_STEP:
        value = data.get(name)
        if value and last and value < last:
            raise InvalidInput(
                _("This cannot be before the case's previous step (%(time)s).")
                % {"time": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")},
                field=name,
            )


def audit_changes(move) -> dict:
    step = move.step
    if step is not None and step.stays:  # a step taken in place: the state is unchanged, the step named
        changes = {"state": [move.from_state, move.from_state], "step": step.key}
    else:
        changes = {"state": [move.from_state or None, step.to if step else move.obj.state]}
    for key in ("reason", "reason_code", "occurred_at"):
        if move.data.get(key):
            changes[key] = move.data[key]
    return changes


def record(move) -> CaseStep:
    """The step's row in the case's timeline, its signers and its documents."""
    case, organ = move.obj, isinstance(move.obj, OrganCase)
    step = CaseStep.objects.create(
        organ_case=case if organ else None,
        body_case=None if organ else case,
        from_state=move.from_state,
        to_state=move.step.to if move.step and move.step.stays else case.state,  # a step taken in place: its name
        actor=move.actor,
        recorded_at=move.now,
        occurred_at=move.when,
        data=_storable(move.data),
        step=move.step.key if move.step is not None and move.step.key != case.state else "",
    )
    for row in move.data.get("signers", []):
        letter = row.get("letter")
        signer = Signer.objects.create(step=step, **{k: v for k, v in row.items() if k != "letter"})
        if letter:  # a proxy's letter of authority, kept with the step (``letter-<signer>``)
            attachment_store(owner=step, kind=f"letter-{signer.pk}", upload=letter, actor=move.actor, now=move.now)
    kind = WITNESSED.get(case.state) if organ else None
    for coordinator in User.objects.filter(username__in=move.data.get("witnesses", [])) if kind else ():
        Witness.objects.create(
            case=case,
            step=step,
            kind=kind,
            coordinator=coordinator,
            witnessed_at=move.data.get("witnessed_at") or move.when,
            remarks=move.data.get("witness_remarks", ""),
        )
    for key, value in move.data.items():
        if isinstance(value, UploadedFile):
            attachment_store(owner=step, kind=key, upload=value, actor=move.actor, now=move.now)
    return step


def every_step(move) -> None:
    """What every step changes: an exit keeps its reason, a final state closes the case."""
    case = move.obj
    if move.step.exit:
        case.exit_reason = str(move.data.get("reason", ""))[:300]
    if move.step.to in move.workflow.finals:
        case.closed_at = move.when


# --- what each step changes besides the state ------------------------------------------------


def evaluate(move):
    move.obj.procurement_team, move.obj.transplant_team = move.data["procurement_team"], move.data["transplant_team"]
    categorise(move)


def categorise(move):
    """The donation category decides the order of the steps that follow (``cases.workflow``)."""
    move.changes["donation_category"] = [move.obj.donation_category or None, move.data["category"]]
    move.obj.donation_category = move.data["category"]


def consent(move):
    move.obj.consented_organs, move.obj.consented_tissues = move.data["organs"], move.data["tissues"]


def brain_death(move):
    """The second determination: in C-I it is the determination of death; in C-III death follows later,
    by circulatory criteria."""
    if move.step.to == OrganCase.State.DEATH_DETERMINED:
        move.obj.died_at = move.when


def circulatory_death(move):
    move.obj.died_at = move.when


def _counted(move):
    case = move.obj
    case.counted_at = move.when
    if case.registration_id:
        registration_mark_donated(
            registration=case.registration,
            actor=move.actor,
            died_on=timezone.localdate(case.died_at or move.when),
            case=case,
            now=move.now,
        )


def procure(move):
    for row in move.data["outcomes"]:
        OrganOutcome.objects.create(
            case=move.obj,
            organ=row["organ"],
            recovered=row["recovered"],
            reason=row["reason"],
            reason_text=row["reason_text"],
        )
    if any(row["recovered"] for row in move.data["outcomes"]):  # a donation is counted when an organ was recovered
        _counted(move)


def allocate(move):
    case = move.obj
    for row in move.data["allocations"]:
        case.outcomes.filter(organ=row["organ"]).update(
            allocation_ref=row["allocation_ref"] or "",
            recipients=row["recipients"] if row["allocation_ref"] else 0,
            not_transplanted=row["not_transplanted"] or "",
        )
    case.beneficiaries = case.outcomes.aggregate(n=Sum("recipients"))["n"] or 0


def close_organ(move):
    FamilyHandover.objects.create(
        case=move.obj,
        contact_name=move.data["contact_name"],
        relationship=move.data["contact_relationship"],
        phone=move.data["contact_phone"],
        created_at=move.now,
    )


def death_certificate(case, data: dict) -> None:
    """The death certificate's number and date, when the form brought them (its scan is the step's document)."""
    if data.get("death_certificate_number"):
        case.death_certificate_number = data["death_certificate_number"].strip()
        case.death_certificate_date = data["death_certificate_date"]


def accept(move):
    death_certificate(move.obj, move.data)


def receive(move):
    """A body donation is counted when the body was received (its certificate: ``certificates.hooks``),
    with the hand-over agreement and the transport."""
    case = move.obj
    case.received_at = move.when
    case.handover_on, case.transported_by = move.data["handover_on"], move.data["transported_by"].strip()
    case.transported_at = move.data["transported_at"]
    _counted(move)


def use(move):
    move.obj.use = move.data["purpose"]


def memorial(move):
    move.obj.specimen_kept_at = move.data["specimen_kept_at"].strip()
    move.obj.memorial_record = move.data["memorial_record"].strip()


def honour(move):
    """Honoured: the case keeps its place on the path (the certificate: ``certificates.hooks``)."""
    move.obj.honoured_at = move.when
