"""What the coordinators add to the cases through their plug-in points (``cases.extensions``): the
witness rule's qualification check and the case page's on-call coordinators.

THE RULE: the witness of a procurement or an allocation is a user linked to a ``Coordinator`` in
state qualified, holding a live qualification that is active (not suspended, not revoked), issued on
or before the day of the witnessing (Beijing time) and valid that day, whose area covers the case's
county. A refusal names the person and what is missing, in the user's language."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import Role
from boai.accounts.scoping import sees
from boai.cases.extensions import case_panel, witness_check, witness_refusals
from boai.cases.models import OrganCase
from boai.core.models import Region, region_prefix
from boai.lib.masking import mask_phone

from . import (
    qualifications_workflow,  # noqa: F401  (registers the qualification's workflow)
    workflow,  # noqa: F401  (the application workflow, registered with the engine at start-up)
)
from .models import Coordinator, Qualification
from .selectors.practice import BEFORE_PROCUREMENT, on_call_now
from .services.practice import contacts_shown


def _day(when) -> date:
    if when is None:
        return timezone.localdate()
    if isinstance(when, datetime):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    if isinstance(when, date):
        return when
    parsed = None
    try:
        parsed = datetime.fromisoformat(str(when))
    except ValueError:
        return timezone.localdate()
    return _day(parsed)


def _case_county(case) -> str:
    return str(getattr(case, "region_id", "") or "")


def witness_refusal(*, coordinator, case, when) -> str | None:
    """Why the account ``coordinator`` (a staff user) may not witness ``case`` on the day of ``when``,
    or None. (The cases call the account "coordinator"; the record is ``Coordinator.user``.)"""
    account = coordinator
    shown = getattr(account, "full_name", "") or getattr(account, "username", "")
    record = Coordinator.objects.filter(user_id=getattr(account, "pk", None)).select_related("region").first()
    if record is None:
        return _("%(name)s: has no coordinator record") % {"name": shown}
    name = record.name
    day = _day(when)
    live = record.qualifications.exclude(state=Qualification.State.REVOKED).first()
    if live is None or record.state == Coordinator.State.REVOKED:
        if record.qualifications.filter(state=Qualification.State.REVOKED).exists():
            return _("%(name)s: qualification revoked") % {"name": name}
        return _("%(name)s: not qualified (%(state)s)") % {"name": name, "state": record.get_state_display()}
    if live.state == Qualification.State.SUSPENDED or record.state == Coordinator.State.SUSPENDED:
        return _("%(name)s: qualification suspended") % {"name": name}
    if record.state != Coordinator.State.QUALIFIED:
        return _("%(name)s: not qualified (%(state)s)") % {"name": name, "state": record.get_state_display()}
    if live.issued_on > day:
        return _("%(name)s: qualified only on %(date)s, after the witnessing on %(day)s") % {
            "name": name,
            "date": live.issued_on.isoformat(),
            "day": day.isoformat(),
        }
    if live.valid_until is not None and live.valid_until < day:
        return _("%(name)s: qualification expired on %(date)s") % {"name": name, "date": live.valid_until.isoformat()}
    if case is None:  # no case yet (a form without one): the area cannot be judged
        return None
    county = _case_county(case)
    if not county.startswith(region_prefix(record.region_id)):
        return _("%(name)s: area does not cover the case") % {"name": name}
    return None


witness_check(witness_refusal)


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
