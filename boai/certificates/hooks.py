"""What certificates do when a donation case moves (the workflow engine's ``on_enter`` hooks) and
what the case page offers (``cases.extensions``), subscribed from ``apps.py``, so that ``cases``
never imports ``certificates``. A hook runs in the case step's transaction: a certificate that
cannot be issued refuses the step."""

from boai.cases.extensions import case_page
from boai.cases.models import OrganCase
from boai.core.workflow import on_enter

from .models import Kind
from .services import body_certificate_issue, organ_issue_refusal


@on_enter("body", "received")
def issue_reception_certificate(move) -> None:
    """The province's numbered reception certificate is issued with the step."""
    body_certificate_issue(actor=move.actor, case=move.obj, kind=Kind.BODY_RECEPTION, now=move.now, check_perm=False)


@on_enter("body", "honoured")
def issue_honour_certificate(move) -> None:
    body_certificate_issue(actor=move.actor, case=move.obj, kind=Kind.BODY_HONOUR, now=move.now, check_perm=False)


@case_page
def offer_organ_certificate(*, case, user) -> dict:
    """The case page offers the organ donation certificate when its unit may issue one now."""
    return {"can_issue": isinstance(case, OrganCase) and organ_issue_refusal(actor=user, case=case) is None}
