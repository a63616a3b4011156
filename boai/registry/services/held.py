"""Holding entries for review (``HeldEntry``; the decision is ``held_review``): a registration (or
a refusal made in life, ``refusal_hold``) entered by staff that touches a record outside their area
(an active or deceased registration, a refusal), or entered online by a citizen whose ID number has a
refusal on record,
is neither refused (that would confirm the other record: "is this person a registered donor?" could
be asked of any ID number in the province) nor taken, but held for staff who can see both records,
in practice the province.

The clerk's answer is the same for every hold, whatever its reason: ``HELD_MESSAGE`` and a random
reference (the API: 202 ``held_for_review``; an import row: "sent for review"). What the clerk can
still observe is only that the entry was held for review, not why, nor what the other record is.
"""

import dataclasses
import secrets
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import sees
from boai.audit.services import audit_log

from ..data import PersonData
from ..models import HeldEntry, Refusal, Registration
from ..selectors import refusal_in_force

HELD_CODE = "held_for_review"
HELD_MESSAGE = gettext_lazy(
    "This may duplicate an existing registration; it has been sent for review at province level."
)
CITIZEN_ROLE = "public"  # ``portal.CITIZEN``: whoever registers online (the portal, the public API)
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone


def _is_staff(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "role", ""))


def hold_reason(actor, index: str | None) -> tuple[str, Registration | None, Refusal | None] | None:
    """Why an entry for the person with the ID ``index`` must be held for ``actor``, or None. An
    active registration, a deceased one or an unrevoked refusal the staff actor can see is theirs to
    be told about (the caller refuses plainly); one they cannot see is not. A citizen's entry (the
    portal, the public API) whose person recorded a refusal is held too: a stranger who knows only
    the ID number must not revoke it by registering, and the person is reached by staff first."""
    if not index:
        return None
    if not _is_staff(actor):
        if getattr(actor, "role", "") != CITIZEN_ROLE:  # the system (demo data, jobs): not a stranger
            return None
        refusal = refusal_in_force(index)
        if refusal is not None and not deceased_registration(index):
            return HeldEntry.Reason.REFUSAL_ONLINE, None, refusal
        return None
    existing = Registration.objects.filter(id_number_index=index, status=Registration.Status.ACTIVE).first()
    if existing is not None:
        if sees(actor, existing):
            return None  # the caller gives the clear "already registered" answer
        return HeldEntry.Reason.POSSIBLE_DUPLICATE, existing, None
    deceased = deceased_registration(index)
    if deceased is not None:
        if sees(actor, deceased):
            return None  # the caller gives the clear "registered as deceased" answer
        return HeldEntry.Reason.DECEASED, deceased, None
    refusal = refusal_in_force(index)
    if refusal is not None and not sees(actor, refusal):
        return HeldEntry.Reason.REFUSAL_ELSEWHERE, None, refusal
    return None


def deceased_registration(index: str | None) -> Registration | None:
    """The person's registration marked deceased (or deceased — donated), if any: nobody registers
    after their death."""
    if not index:
        return None
    return Registration.objects.filter(id_number_index=index, status=Registration.Status.DECEASED).first()


def refusal_hold_reason(actor, index: str | None) -> tuple[str, Registration | None, Refusal | None] | None:
    """Why a refusal entered by ``actor`` for the person with the ID ``index`` must be held, or None:
    an unrevoked refusal outside their area (it would answer "already on record"), or an active
    registration outside it (recording would withdraw it, or be revoked by it, and say so). Records
    the actor can see get today's answers."""
    if not (index and _is_staff(actor)):
        return None
    refusal = refusal_in_force(index)
    if refusal is not None:
        if sees(actor, refusal):
            return None  # the caller gives the clear "already on record" answer
        return HeldEntry.Reason.REFUSAL_ELSEWHERE, None, refusal
    active = Registration.objects.filter(id_number_index=index, status=Registration.Status.ACTIVE).first()
    if active is not None and not sees(actor, active):
        return HeldEntry.Reason.POSSIBLE_DUPLICATE, active, None
    return None


def _reference() -> str:
    return "H" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(9))


def _data_json(data: PersonData, **more) -> dict:
    values = dataclasses.asdict(data)
    for name in ("birth_date", "signed_on"):
        values[name] = getattr(data, name).isoformat() if getattr(data, name) else None
    return {"person": values, **more}


def held_person_data(entry: HeldEntry) -> PersonData:
    """The entry as it was made, its signing date included: registered after the review, it counts on
    the day the person signed, not on the day of the review (an entry held before the signing date
    was kept: the day it was entered, or signed when that came first)."""
    values = dict(entry.data["person"])
    values["birth_date"] = date.fromisoformat(values["birth_date"]) if values.get("birth_date") else None
    signed_on = values.get("signed_on")
    values["signed_on"] = date.fromisoformat(signed_on) if signed_on else timezone.localdate(entry.entered_at)
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
    consented_at: datetime | None = None,
) -> HeldEntry:
    """Keep a validated entry for review. Call inside the entry's transaction. ``consented_at``: when
    the person signed, if before the entry (its consent is recorded at that time once registered)."""
    kind, existing, refusal = reason
    entry = HeldEntry(
        reference=_reference(),
        region_id=data.region_code,
        reason=kind,
        existing=existing,
        refusal=refusal,
        data=_data_json(data, consent_version=consent_version),
        channel=channel,
        entered_by=actor if getattr(actor, "pk", None) else None,  # a citizen: no user
        entered_at=consented_at or now,
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


def refusal_hold(*, actor, values: dict, reason: tuple, now: datetime) -> HeldEntry:
    """Keep a validated refusal (``refusal_record``'s arguments) for review. Call inside its transaction."""
    kind, existing, refusal = reason
    person = {k: values[k] for k in ("name", "id_type", "id_number")}
    entry = HeldEntry.objects.create(
        reference=_reference(),
        kind=HeldEntry.Kind.REFUSAL,
        region_id=values["region_code"],
        reason=kind,
        existing=existing,
        refusal=refusal,
        data={"person": person, "refusal": {"stated_on": values["stated_on"].isoformat(), "note": values["note"]}},
        channel=Registration.Channel.PAPER,  # a refusal is recorded from the person's signed statement
        entered_by=actor,
        entered_at=now,
    )
    audit_log(
        action="registry.held.created",
        actor=actor,
        obj=entry,
        now=now,
        changes={
            "name": person["name"],
            "id_number": person["id_number"],
            "region": values["region_code"],
            "kind": entry.kind,
        },
    )
    return entry


def held_refusal_values(entry: HeldEntry) -> dict:
    """``refusal_record``'s arguments, as the clerk entered them."""
    person, refusal = entry.data["person"], entry.data["refusal"]
    return {
        **{k: person[k] for k in ("name", "id_type", "id_number")},
        "region_code": entry.region_id,
        "stated_on": date.fromisoformat(refusal["stated_on"]),
        "note": refusal.get("note", ""),
    }
