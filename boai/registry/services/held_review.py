"""The decision on an entry held for review (``services.held``), taken by staff who can see every
record it concerns: a module of its own, since registering the entry goes through
``registration_create``, which itself holds entries through ``held``."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput
from boai.core.fields import index_for

from ..models import HeldEntry, Registration
from ..selectors import held_reviewable
from .held import held_person_data, held_refusal_values
from .refusals import refusal_record
from .registrations import registration_create


class Outcome:
    MERGE = "merge"  # the same person, already registered: the entry is not registered again
    REJECT = "reject"  # another person under this ID number, or a mistake: not registered, ID to check
    REGISTER = "register"  # nothing stands in the way (any more): registered now
    RECORD = "record"  # a held refusal: recorded now, withdrawing (or revoked by) the other registration


@transaction.atomic
def held_decide(*, entry: HeldEntry, actor, outcome: str, note: str = "", now: datetime | None = None):
    """Decide a held entry: ``Outcome.MERGE`` (same person: not registered again), ``REJECT`` (not
    registered: the ID number must be checked with the person) or ``REGISTER`` (registered now, as
    entered; refused while another active registration holds the ID number); a held refusal is
    ``RECORD``-ed instead (``refusal_record`` with the reviewer as actor). Audited; the entered
    data is dropped once decided (a registered entry lives on in its registration)."""
    now = now or timezone.now()
    entry = HeldEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != HeldEntry.State.OPEN:
        raise Conflict(_("Someone has already decided on this entry."), code="decided")
    if not held_reviewable(actor).filter(pk=entry.pk).exists():
        raise InvalidInput(_("You cannot see every record this entry concerns."))
    note = (note or "").strip()[:200]
    registration = recorded = None
    if entry.kind == HeldEntry.Kind.REFUSAL and outcome == Outcome.RECORD:
        # as if the reviewer had entered it: today's rules, seeing every record concerned
        recorded = refusal_record(actor=actor, now=now, held=entry, **held_refusal_values(entry))
        entry.state = HeldEntry.State.RECORDED
        entry.data = {}  # it lives on in the refusal
    elif entry.kind == HeldEntry.Kind.REGISTRATION and outcome == Outcome.REGISTER:
        data = held_person_data(entry)
        if Registration.objects.filter(
            id_number_index=index_for("id_number", data.id_number), status=Registration.Status.ACTIVE
        ).exists():
            raise Conflict(
                _("This person still has an active registration: merge, or reject the entry."),
                code="duplicate_registration",
            )
        registration = registration_create(
            actor=actor,
            data=data,
            channel=entry.channel,
            consent_version=entry.data.get("consent_version"),
            now=now,
            held=entry,
        )
        entry.state = HeldEntry.State.REGISTERED
        entry.data = {}  # it lives on in the registration
    elif outcome in (Outcome.MERGE, Outcome.REJECT):
        if outcome == Outcome.REJECT and not note:
            raise InvalidInput(_("Say what is wrong, for the branch that entered it."), field="note")
        entry.state = HeldEntry.State.MERGED if outcome == Outcome.MERGE else HeldEntry.State.REJECTED
        entry.data = {}  # nothing kept that is not needed any more
    else:
        raise InvalidInput(_("Choose a decision."), field="decision")
    entry.decided_by, entry.decided_at, entry.note, entry.registration = actor, now, note, registration
    entry.save()
    audit_log(
        action=f"registry.held.{entry.state}",
        actor=actor,
        obj=entry,
        now=now,
        changes={
            "reference": entry.reference,
            "reason": entry.reason,
            "existing": entry.existing.number if entry.existing else "",
            "registration": registration.number if registration else "",
            **({"kind": entry.kind, "recorded": recorded.pk} if recorded else {}),
            "note": note,
        },
    )
    return entry
