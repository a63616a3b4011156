"""Refusals made in life: recorded on paper by a branch."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput
from boai.core.fields import index_for
from boai.core.models import Region
from boai.core.people import IdType, clean_id_number, name_problem
from boai.lib import idnumbers
from boai.lib.text import free_text_problem

from ..models import HeldEntry, Refusal
from ..selectors import registry_check
from .held import refusal_hold, refusal_hold_reason
from .registrations import check_area, refusal_revoked, refusals_revoke_by, registration_withdraw


@transaction.atomic
def refusal_record(
    *,
    actor,
    name: str,
    id_type: str,
    id_number: str,
    region_code: str,
    stated_on: date,
    note: str = "",
    now=None,
    held: HeldEntry | None = None,
) -> Refusal | HeldEntry:
    """A branch records a refusal made in life from the person's signed statement. An active
    registration of the same person is withdrawn: the later statement wins.

    When the record that stands in the way (an unrevoked refusal, or the active registration it
    would withdraw or be revoked by) is outside the staff's area, nothing is done to it and nothing
    said of it: the refusal is held for review (``services.held``) and the answer is a ``HeldEntry``,
    the same as for a held registration. ``held``: the entry a reviewer is recording now."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput(_("Enter the name as on the ID document (at most 64 characters)."), field="name")
    if problem := name_problem(name):
        raise InvalidInput(problem, field="name")
    if problem := free_text_problem(note):  # a bidi override shows the note other than stored
        raise InvalidInput(problem, field="note")
    id_number = clean_id_number(id_type, id_number, today=timezone.localdate(now))
    check_area(region_code, actor)
    if not Region.objects.filter(code=region_code, level=Region.Level.COUNTY).exists():
        raise InvalidInput(_("Unknown county code: %(code)s") % {"code": region_code[:12]}, field="region")
    if stated_on > timezone.localdate(now):
        raise InvalidInput(_("The date cannot be in the future."), field="stated_on")
    born = idnumbers.parse_resident_id(id_number).birth_date if id_type == IdType.RESIDENT_ID else None
    if born is not None and stated_on < born:
        raise InvalidInput(
            _("The date cannot be before the person was born (%(day)s).") % {"day": born}, field="stated_on"
        )
    reason = None if held else refusal_hold_reason(actor, index_for("id_number", id_number))
    if reason:
        values = {"name": name, "id_type": id_type, "id_number": id_number, "region_code": region_code}
        values.update(stated_on=stated_on, note=(note or "").strip()[:200])
        return refusal_hold(actor=actor, values=values, reason=reason, now=now)
    if registry_check(id_number=id_number).refusal is not None:
        raise Conflict(_("A refusal of this person is already on record."), code="refusal_exists")
    refusal = Refusal.objects.create(
        name=name,
        id_type=id_type,
        id_number=id_number,
        region_id=region_code,
        stated_on=stated_on,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    active = registry_check(id_number=id_number).active
    if active is not None and timezone.localdate(active.registered_at) > stated_on:
        # the registration came later than the statement on paper: it stands, and replaces the refusal
        refusals_revoke_by([active], actor=actor, now=now)
        refusal.refresh_from_db()
    elif active is not None:
        registration_withdraw(registration=active, actor=actor, reason=_("Refusal recorded"), now=now, by_person=True)
    # audited last: the withdrawal takes the tally's rows, and every writer takes those before the
    # audit chain's head (a registration made at the same moment takes the tally, then the head)
    audit_log(
        action="registry.refusal.recorded",
        actor=actor,
        obj=refusal,
        now=now,
        changes={
            "name": name,
            "id_number": id_number,
            "stated_on": stated_on,
            **({"held": held.reference} if held else {}),
        },
    )
    return refusal


@transaction.atomic
def refusal_revoke(*, refusal: Refusal, actor, reason: str, revoked_on: date, now=None) -> Refusal:
    """A branch revokes a refusal on the person's written statement (dated ``revoked_on``). The
    refusal stays in the person's history, marked revoked."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput(_("Give the reason for the revocation."), field="reason")
    refusal = Refusal.objects.select_for_update().get(pk=refusal.pk)  # two revocations: the second waits
    if refusal.revoked_at is not None:
        raise Conflict(_("This refusal has already been revoked."), code="refusal_revoked")
    if revoked_on > timezone.localdate(now) or revoked_on < refusal.stated_on:
        raise InvalidInput(
            _("The date of the statement must be between the refusal's date and today."), field="revoked_on"
        )
    refusal.revoked_on = revoked_on
    refusal_revoked(refusal, actor=actor, now=now, reason=reason, changes={"revoked_on": revoked_on})
    return refusal
