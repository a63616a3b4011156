"""What the coordinators add to the cases through their plug-in points (``cases.extensions``): the
witness rule's qualification check and the case page's on-call coordinators."""

from django.utils import timezone

from boai.accounts.roles import Role
from boai.accounts.scoping import sees
from boai.cases.extensions import case_panel, witness_refusals
from boai.cases.models import OrganCase
from boai.core.models import Region
from boai.lib.masking import mask_phone

from . import workflow  # noqa: F401  (the application workflow, registered with the engine at start-up)
from .selectors.practice import BEFORE_PROCUREMENT, on_call_now
from .services.practice import contacts_shown

# --- practice: the case page's on-call coordinators -------------------------------------------------


def _may_witness(coordinator, case, now) -> bool:
    """The witness rule, as the procurement step will apply it: an active coordinator account whose
    area includes the case, and no objection from the registered checks (the qualification)."""
    account = coordinator.user
    if account is None or not account.is_active or account.role != Role.COORDINATOR:
        return False
    if not sees(account, case, perm="cases.view"):
        return False
    return not witness_refusals(coordinators=[account], case=case, when=now)


@case_panel
def on_call_panel(*, case, user):
    """On an organ case still before procurement: this week's on-call coordinators of the case's
    prefecture who may witness it, with their phone (whole only for coordinators.contact, audited)."""
    if not isinstance(case, OrganCase) or case.state not in BEFORE_PROCUREMENT:
        return None
    now = timezone.now()
    prefecture = case.region_id[:4] + "00"
    shifts = on_call_now(prefecture=prefecture, day=timezone.localdate(now))
    people = [s.coordinator for s in shifts if _may_witness(s.coordinator, case, now)]
    people = list({c.pk: c for c in people}.values())
    full = user.has_perm("coordinators.contact")
    if full:
        contacts_shown(actor=user, coordinators=people, where=f"case {case.number}")
    return (
        "coordinators/practice_case_panel.html",
        {
            "region": Region.objects.filter(code=prefecture).first(),
            "people": [(c, c.phone if full else mask_phone(c.phone)) for c in people],
        },
    )
