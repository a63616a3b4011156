"""The qualification's workflow on the Platform's engine (``boai.core.workflow``): an active
qualification is suspended (and reinstated), renewed (a new valid-until) or revoked (final). Every step
takes a reason and a document (its number and a scan), is kept as a ``QualificationEvent`` with the
scan attached to it, is audited, and moves the coordinator with it (qualified, suspended, revoked)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import Conflict, InvalidInput
from boai.core.services import attachment_store
from boai.core.workflow import Step, Workflow, register

from .models import Coordinator, Qualification, QualificationEvent

Q = Qualification.State
COORDINATOR_STATE = {
    "suspended": Coordinator.State.SUSPENDED,
    "reinstated": Coordinator.State.QUALIFIED,
    "revoked": Coordinator.State.REVOKED,
    "renewed": Coordinator.State.QUALIFIED,
}


def wrong_state(q: Qualification, step: Step | None, to: str) -> Conflict:
    return Conflict(
        _("Qualification %(number)s cannot be %(what)s: it is “%(state)s”.")
        % {"number": q.number, "what": WHAT.get(step.key if step else to, to), "state": q.get_state_display()},
        code="qualification.wrong_state",
    )


WHAT = {
    "suspended": gettext_lazy("suspended"),
    "reinstated": gettext_lazy("reinstated"),
    "revoked": gettext_lazy("revoked"),
    "renewed": gettext_lazy("renewed"),
}


def document_inputs(move) -> None:
    """Every step: a reason, the document's number and its scan."""
    data = move.data
    if not (data.get("reason") or "").strip():
        raise InvalidInput(_("Give the reason."), field="reason")
    if not (data.get("document_number") or "").strip():
        raise InvalidInput(_("Give the number of the document that decides it."), field="document_number")
    if data.get("scan") is None:
        raise InvalidInput(_("Attach a scan of the document."), field="scan")


def renew_inputs(move) -> None:
    document_inputs(move)
    q, until = move.obj, move.data.get("valid_until")
    if until is None:
        raise InvalidInput(_("Give the new valid-until date."), field="valid_until")
    if until <= timezone.localdate() or until <= q.issued_on or (q.valid_until and until <= q.valid_until):
        raise InvalidInput(
            _("The new valid-until date must be later than today and than the present one."), field="valid_until"
        )


def effect(move) -> None:
    """The coordinator follows the qualification; the audit entry says what changed and why."""
    step, q, data = move.step, move.obj, move.data
    coordinator = Coordinator.objects.select_for_update().get(pk=q.coordinator_id)
    new_state = COORDINATOR_STATE[step.key]
    move.changes = {
        "state": [move.from_state, step.to],
        "coordinator_state": [coordinator.state, str(new_state)],
        "reason": data["reason"][:500],
        "document_number": data["document_number"][:64],
    }
    if step.key == "renewed":
        move.changes["valid_until"] = [
            q.valid_until.isoformat() if q.valid_until else None,
            data["valid_until"].isoformat(),
        ]
        q.valid_until = data["valid_until"]
    if coordinator.state != new_state:
        coordinator.state = new_state
        coordinator.version += 1
        coordinator.save(update_fields=["state", "version", "updated_at"])
    move.object_repr = f"{coordinator.name} {q.number}"


def record(move) -> None:
    q = move.obj
    event = QualificationEvent.objects.create(
        qualification=q,
        step=move.step.key,
        from_state=move.from_state,
        to_state=q.state,
        reason=move.data["reason"][:500],
        document_number=move.data["document_number"][:64],
        actor=move.actor,
        at=move.now,
    )
    attachment_store(owner=event, kind="document", upload=move.data["scan"], actor=move.actor, now=move.now)


PERM = "coordinators.qualify"
QUALIFICATION_FLOW = register(
    Workflow(
        kind="coordinator_qualification",
        model=Qualification,
        start=Q.ACTIVE,
        title=gettext_lazy("Coordinator qualification"),
        audit_prefix="coordinators.qualification",
        stale_message=gettext_lazy("Someone else changed this qualification in the meantime. Reload it and try again."),
        stale_code="qualification.stale",
        start_perm=PERM,
        start_verb="record",
        finals=frozenset({Q.REVOKED}),
        wrong_state=wrong_state,
        effect=effect,
        record=record,
        steps=(
            Step(Q.SUSPENDED, (Q.ACTIVE,), PERM, name="suspended", verb=gettext_lazy("Suspend"), guard=document_inputs),
            Step(
                Q.ACTIVE, (Q.SUSPENDED,), PERM, name="reinstated", verb=gettext_lazy("Reinstate"), guard=document_inputs
            ),
            Step(Q.ACTIVE, (Q.ACTIVE,), PERM, name="renewed", verb=gettext_lazy("Renew"), guard=renew_inputs),
            Step(
                Q.REVOKED,
                (Q.ACTIVE, Q.SUSPENDED),
                PERM,
                name="revoked",
                verb=gettext_lazy("Revoke"),
                guard=document_inputs,
                exit=True,
            ),
        ),
    )
)
