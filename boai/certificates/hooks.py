"""What certificates do when a donation case moves (the workflow engine's ``on_enter`` hooks) and
what the case page offers (``cases.extensions``), subscribed from ``apps.py``, so that ``cases``
never imports ``certificates``. A hook runs in the case step's transaction: a certificate that
cannot be issued refuses the step."""

from boai.cases.extensions import case_page, demo_consent_forms
from boai.cases.models import OrganCase
from boai.core.workflow import on_enter

from .demo import consent_forms_held
from .models import Kind
from .selectors import consent_form_of
from .services import body_certificate_issue, consent_form_use, organ_issue_refusal


@on_enter("body", "received")
def issue_reception_certificate(move) -> None:
    """The province's numbered reception certificate is issued with the step."""
    body_certificate_issue(actor=move.actor, case=move.obj, kind=Kind.BODY_RECEPTION, now=move.now, check_perm=False)


@on_enter("body", "honoured")
def issue_honour_certificate(move) -> None:
    body_certificate_issue(actor=move.actor, case=move.obj, kind=Kind.BODY_HONOUR, now=move.now, check_perm=False)


@on_enter("organ", "consented")
def use_consent_form(move) -> None:
    """The consent form the family signed (``consent_form_number`` of the step) must be a blank the
    case's unit received; it is marked used by the case with the step, or the step is refused."""
    consent_form_use(
        case=move.obj, number=move.data.get("consent_form_number"), actor=move.actor, now=move.now, when=move.when
    )


@case_page
def offer_organ_certificate(*, case, user) -> dict:
    """The case page offers the organ donation certificate when its unit may issue one now, and shows
    the number of the consent form used for its consent (none for a case consented before forms were
    numbered)."""
    if not isinstance(case, OrganCase):
        return {"can_issue": False}
    form = consent_form_of(case)
    return {
        "can_issue": organ_issue_refusal(actor=user, case=case) is None,
        # the case's certificates; its consent form is shown apart, with the case's facts
        "certificates": [c for c in case.certificates.all() if c.kind != Kind.ORGAN_CONSENT],
        "consent_form_number": form.number if form else "",
        "consent_form_id": form.pk if form and user.has_perm("certificates.view") else None,
    }


demo_consent_forms(consent_forms_held)
