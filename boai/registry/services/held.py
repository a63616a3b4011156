"""Entries held for review (``HeldEntry``): a registration entered by staff that touches a record
outside their area is neither refused (that would confirm the other record: "is this person a
registered donor?" could be asked of any ID number in the province) nor taken, but held for staff who
can see both records, in practice the province.

The clerk's answer is the same for every hold, whatever its reason: ``HELD_MESSAGE`` and a random
reference (the API: 202 ``held_for_review``; an import row: "sent for review"). What the clerk can
still observe is only that the entry was held for review, not why, nor what the other record is.
"""

import dataclasses
import secrets
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import visible
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput
from boai.core.fields import index_for

from ..data import PersonData
from ..models import HeldEntry, Refusal, Registration
from ..selectors import held_reviewable

HELD_CODE = "held_for_review"
HELD_MESSAGE = gettext_lazy(
    "This may duplicate an existing registration; it has been sent for review at province level."
)
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone


class Outcome:
    MERGE = "merge"  # the same person, already registered: the entry is not registered again
    REJECT = "reject"  # another person under this ID number, or a mistake: not registered, ID to check
    REGISTER = "register"  # nothing stands in the way (any more): registered now


def _is_staff(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "role", ""))


def hold_reason(actor, index: str | None) -> tuple[str, Registration | None, Refusal | None] | None:
    """Why an entry for the person with the ID ``index`` must be held for ``actor``, or None. Only
    staff entries are held (the public portal answers differently). An active registration or an
    unrevoked refusal the actor can see is theirs to be told about; one they cannot see is not."""
    if not (index and _is_staff(actor)):
        return None
    existing = Registration.objects.filter(id_number_index=index, status=Registration.Status.ACTIVE).first()
    if existing is not None:
        if visible(actor, Registration).filter(pk=existing.pk).exists():
            return None  # the caller gives the clear "already registered" answer
        return HeldEntry.Reason.POSSIBLE_DUPLICATE, existing, None
    refusal = Refusal.objects.filter(id_number_index=index, revoked_at__isnull=True).first()
    if refusal is not None and not visible(actor, Refusal).filter(pk=refusal.pk).exists():
        return HeldEntry.Reason.REFUSAL_ELSEWHERE, None, refusal
    return None


def _reference() -> str:
    return "H" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))


def _data_json(data: PersonData, **more) -> dict:
    values = dataclasses.asdict(data)
    values["birth_date"] = data.birth_date.isoformat() if data.birth_date else None
    return {"person": values, **more}


def held_person_data(entry: HeldEntry) -> PersonData:
    values = dict(entry.data["person"])
    values["birth_date"] = date.fromisoformat(values["birth_date"]) if values.get("birth_date") else None
    return PersonData(**values)


def entry_hold(
    *,
    actor,
    data: PersonData,
    reason: tuple,
    channel: str,
    consent_version: str | None,
    now: datetime,
    job=None,
    audit: bool = True,
) -> HeldEntry:
    """Keep a validated entry for review. Call inside the entry's transaction."""
    kind, existing, refusal = reason
    entry = HeldEntry(
        reference=_reference(),
        region_id=data.region_code,
        reason=kind,
        existing=existing,
        refusal=refusal,
        data=_data_json(data, consent_version=consent_version),
        channel=channel,
        entered_by=actor,
        entered_at=now,
        job=job,
    )
    entry.save()
    if audit:
        audit_log(
            action="registry.held.created",
            actor=actor,
            obj=entry,
            now=now,
            changes={"name": data.name, "id_number": data.id_number, "region": data.region_code, "channel": channel},
        )
    return entry


@transaction.atomic
def held_decide(*, entry: HeldEntry, actor, outcome: str, note: str = "", now: datetime | None = None):
    """Decide a held entry: ``Outcome.MERGE`` (same person: not registered again), ``REJECT`` (not
    registered: the ID number must be checked with the person) or ``REGISTER`` (registered now, as
    entered; refused while another active registration holds the ID number). Audited; the entered
    data is dropped once the entry is merged or rejected."""
    from .registrations import registration_create  # registrations holds entries through this module

    now = now or timezone.now()
    entry = HeldEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != HeldEntry.State.OPEN:
        raise Conflict(_("Someone has already decided on this entry."), code="decided")
    if not held_reviewable(actor).filter(pk=entry.pk).exists():
        raise InvalidInput(_("You cannot see every record this entry concerns."))
    note = (note or "").strip()[:200]
    registration = None
    if outcome == Outcome.REGISTER:
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
            "note": note,
        },
    )
    return entry
