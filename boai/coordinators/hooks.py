"""What the coordinators add to the cases through their plug-in points (``cases.extensions``): the
witness rule's qualification check and the case page's on-call coordinators.

THE RULE: the witness of a procurement or an allocation is a user linked to a ``Coordinator`` in
state qualified, holding a live qualification that is active (not suspended, not revoked), issued on
or before the day of the witnessing (Beijing time) and valid that day, whose area covers the case's
county. A refusal names the person and what is missing, in the user's language."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from boai.cases.extensions import witness_check
from boai.core.models import region_prefix

from . import qualifications_workflow  # noqa: F401  (registers the qualification's workflow)
from .models import Coordinator, Qualification


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
