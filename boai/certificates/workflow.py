"""The certificates' workflows, declared once for the workflow engine (``boai.core.workflow``): an
organ donation certificate goes round a closed loop of states, from the province's stock to a unit
and to a family; an organ donation consent form goes round the same loop, from the province to a unit
and into the consent of one case; a body donation certificate is numbered when it is issued and can
only be voided.
The services move single certificates through ``transition_take``; the range moves of thousands of
blanks (``stock_hand_out``, ``transfer_confirm``) update in one statement but ask this table which
states may move where (``MOVES``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import Conflict, InvalidInput
from boai.core.services import attachment_store
from boai.core.workflow import Step, Workflow, register

from .models import STOCK_KINDS, Certificate, CertificateEvent, Kind, State, new_check_code

# What a certificate "cannot be" in a refusal of a move into each state.
WHAT = {
    State.HANDED: gettext_lazy("handed out"),
    State.ISSUED: gettext_lazy("issued"),
    State.VOIDED: gettext_lazy("voided"),
    State.LOST: gettext_lazy("reported lost"),
    State.RETURNED: gettext_lazy("returned"),
}


def wrong_state(cert: Certificate, step: Step | None, to: str) -> Conflict:
    return Conflict(
        _("Certificate %(number)s cannot be %(what)s: it is “%(state)s”.")
        % {"number": cert.number, "what": WHAT.get(to, to), "state": cert.get_state_display()},
        code="cert.wrong_state",
    )


def event(cert: Certificate, to: str, actor, now, *, unit=None, note: str = "", from_state: str | None = None):
    return CertificateEvent(
        certificate=cert,
        from_state=cert.state if from_state is None else from_state,
        to_state=to,
        unit=unit,
        actor=actor,
        at=now,
        note=note[:200],
    )


def record(move) -> None:
    """The move's row in the certificate's history (the unit that held it then), and a photo."""
    cert = move.obj
    unit = move.row.get("unit", cert.unit)
    event(
        cert, cert.state, move.actor, move.now, unit=unit, note=move.row.get("note", ""), from_state=move.from_state
    ).save()
    if move.data.get("photo") is not None:
        attachment_store(owner=cert, kind="photo", upload=move.data["photo"], actor=move.actor, now=move.now)


# --- the checks and effects of each move ------------------------------------------------------------


def issue(move) -> None:
    cert, case, data = move.obj, move.data["case"], move.data
    cert.organ_case, cert.donor_name = case, case.name
    cert.region = case.region  # an issued certificate is seen where its case is seen
    cert.recipient_name, cert.recipient_relationship = data["recipient_name"][:64], data["recipient_relationship"]
    cert.issued_on, cert.issued_by = data["issued_on"], move.actor
    cert.check_code = new_check_code()  # a new one at each issue: the code of an earlier paper never opens it
    move.changes = {
        "case": case.number,
        "recipient_name": data["recipient_name"],
        "relationship": data["recipient_relationship"],
    }


def use(move) -> None:
    """A consent form used for the consent of a case: the case, its donor, the day and who recorded it."""
    cert, case = move.obj, move.data["case"]
    cert.organ_case, cert.donor_name, cert.region = case, case.name, case.region
    cert.issued_on, cert.issued_by = move.data["issued_on"], move.actor
    move.changes = {"case": case.number}


def void_inputs(move) -> None:
    if not move.data.get("reason"):
        raise InvalidInput(_("Give the reason for voiding the certificate."), field="reason")
    cert = move.obj
    if cert.kind in STOCK_KINDS and cert.state == State.RECEIVED and move.data.get("photo") is None:
        raise InvalidInput(_("Attach a photo of the spoiled certificate."), field="photo")


def _ended(move, why: str) -> None:
    """A certificate taken out of use: why, on the certificate, its event and the audit entry."""
    move.obj.void_reason = why[:200]
    move.row["note"] = why
    move.changes = {"reason": why[:200]}


def void(move) -> None:
    _ended(move, move.data["reason"])


def lost_inputs(move) -> None:
    if not move.data.get("note"):
        raise InvalidInput(_("Say when and how the certificate was lost."), field="note")


def lost(move) -> None:
    _ended(move, move.data["note"])


def give_back(move) -> None:
    cert, note = move.obj, move.data.get("note", "")
    move.row["unit"], move.row["note"] = cert.unit, note  # the event keeps which unit returned it
    cert.region = move.data["province"]  # back at the province
    cert.unit = None
    move.changes = {"note": note}


def _changed_at(move) -> None:
    move.obj.changed_at = move.now


STALE = gettext_lazy("Someone else changed this certificate in the meantime. Reload it and try again.")
COMMON = {
    "model": Certificate,
    "audit_prefix": "certificates.certificate",
    "stale_message": STALE,
    "stale_code": "cert.stale",
    "wrong_state": wrong_state,
    "effect": _changed_at,
    "record": record,
    "audit_changes": lambda move: {},
}


def _stock_workflow(kind: str, name: str, title, *, issued: Step, voidable: tuple, finals: set) -> Workflow:
    """The closed loop of a blank stock kind, registered: its own step into "issued", the states it is
    voided from, and the states where it ends."""
    steps = (
        Step(State.HANDED, (State.IN_STOCK, State.RETURNED), "certificates.stock"),  # a range at a time
        Step(State.RECEIVED, (State.HANDED,), "certificates.unit"),  # a hand-over at a time
        issued,
        Step(State.VOIDED, voidable, "certificates.unit", guard=void_inputs, effect=void),
        Step(
            State.LOST,
            (State.HANDED, State.RECEIVED),
            ("certificates.unit", "certificates.stock"),
            guard=lost_inputs,
            effect=lost,
        ),
        Step(State.RETURNED, (State.RECEIVED,), "certificates.unit", effect=give_back),
    )
    return register(
        Workflow(
            kind=name,
            title=title,
            start=State.IN_STOCK,
            start_perm="certificates.stock",
            matches=lambda cert: cert.kind == kind,
            steps=steps,
            finals=frozenset(finals),
            **COMMON,
        )
    )


ORGAN_CERTIFICATE = _stock_workflow(
    Kind.ORGAN,
    "organ_certificate",
    gettext_lazy("Organ donation certificate"),
    issued=Step(State.ISSUED, (State.RECEIVED,), "certificates.unit", effect=issue),
    voidable=(State.RECEIVED, State.ISSUED),
    finals={State.VOIDED, State.LOST},
)

# A consent form is used by the consent step of a case (the certificates' hook, as the system: the case
# step checked who may record a consent). A used form belongs to the case's record: it is never voided.
CONSENT_FORM = _stock_workflow(
    Kind.ORGAN_CONSENT,
    "organ_consent_form",
    gettext_lazy("Organ donation consent form"),
    issued=Step(State.ISSUED, (State.RECEIVED,), None, effect=use, name="used", verb=gettext_lazy("Use for a consent")),
    voidable=(State.RECEIVED,),
    finals={State.VOIDED, State.LOST, State.ISSUED},
)

BODY_CERTIFICATE = register(
    Workflow(
        kind="body_certificate",
        title=gettext_lazy("Body donation certificate"),
        start=State.ISSUED,
        start_perm="certificates.body",
        matches=lambda cert: cert.kind not in STOCK_KINDS,
        steps=(Step(State.VOIDED, (State.ISSUED,), "certificates.body", guard=void_inputs, effect=void),),
        finals=frozenset({State.VOIDED}),
        **COMMON,
    )
)

STOCK_WORKFLOWS = {Kind.ORGAN: ORGAN_CERTIFICATE, Kind.ORGAN_CONSENT: CONSENT_FORM}

# Where a blank of each stock kind may go from where: kind -> to-state -> from-states (the range moves ask this).
MOVES = {kind: {step.to: set(step.sources) for step in flow.steps} for kind, flow in STOCK_WORKFLOWS.items()}


def workflow_for(cert: Certificate) -> Workflow:
    return STOCK_WORKFLOWS.get(cert.kind, BODY_CERTIFICATE)
