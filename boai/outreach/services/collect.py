"""Offline collection at events: the entries a staff member took on a phone without network, synced
later. Each entry is handled in its own transaction and decided by the registry's own service, as any
registration (its duplicate rules, the held-for-review rule, the area rule); the SMS code a citizen
would give is replaced by the staff member's attestation and the person's signature drawn on screen
(the registration's channel ``event_offline`` says so).

Idempotency: each entry carries its own key (a UUID made on the phone). Its ``CollectedEntry`` row is
inserted first, in the entry's transaction, so a second sync of the same key at the same moment waits
on the unique index and then reads the first one's answer: an entry lands once however often it is
sent, and a batch cut in the middle is simply sent again."""

import base64
import binascii
import hashlib
import io
import json
import uuid
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees
from boai.audit.services import audit_log
from boai.core.errors import DomainError, InvalidFields, InvalidInput, NotAllowed
from boai.core.people import IdType, parse_id
from boai.core.services import attachment_store
from boai.lib.idnumbers import age_on
from boai.registry import notices
from boai.registry.data import PersonData
from boai.registry.models import HeldEntry, Registration
from boai.registry.services import HELD_MESSAGE, registration_create

from ..models import CollectedEntry, Event

MAX_BATCH = 50
MAX_SIGNATURE_BYTES = 300 * 1024
MIN_SIGNATURE_BYTES = 67  # the smallest PNG there is; a drawn signature is far larger
CLOCK_SKEW = timedelta(minutes=10)
EVENT_MARGIN = timedelta(days=1)
MAX_AGE = timedelta(days=30)
PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# The person's fields as the phone names them; "region" is the registry's ``region_code``.
TEXT_FIELDS = (
    "name",
    "id_type",
    "id_number",
    "phone",
    "address",
    "executor_name",
    "executor_relationship",
    "executor_phone",
    "ethnic_group",
    "sex",
)

# How a refused field is named on the phone, in the reader's language.
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "id_type": gettext_lazy("ID document"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "region": gettext_lazy("County"),
    "region_code": gettext_lazy("County"),
    "address": gettext_lazy("Address"),
    "organs": gettext_lazy("What to donate"),
    "executor_name": gettext_lazy("Executor"),
    "executor_phone": gettext_lazy("Executor's phone"),
    "executor_relationship": gettext_lazy("Executor's relationship"),
    "birth_date": gettext_lazy("Birth date"),
    "sex": gettext_lazy("Sex"),
    "ethnic_group": gettext_lazy("Ethnic group"),
    "consent": gettext_lazy("Consent"),
    "signature": gettext_lazy("Signature"),
    "attested": gettext_lazy("ID check"),
    "collected_at": gettext_lazy("Time taken"),
    "signed_on": gettext_lazy("Day signed"),
}
KEY_REUSED = gettext_lazy("This entry key was already used for another entry.")


class _KeyTaken(Exception):
    """The entry's key was inserted by a concurrent sync, which has committed by now."""


def request_hash(event: Event, entry: dict) -> str:
    """SHA-256 of the canonical JSON of what was sent (with the event it was sent for)."""
    canonical = json.dumps(
        {"event": event.pk, "entry": entry}, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def answer(row: CollectedEntry) -> dict:
    """What the phone is told about a synced entry (the same every time it asks)."""
    result = {"key": str(row.key), "state": row.state}
    if row.state == CollectedEntry.State.LANDED:
        result["number"] = row.registration.number
    elif row.state == CollectedEntry.State.HELD:
        result["reference"] = row.held_reference
        result["reason"] = row.reason
    else:
        result["reason"] = row.reason
    return result


def _returned(key, reason) -> dict:
    return {"key": str(key), "state": CollectedEntry.State.RETURNED, "reason": str(reason)[:300]}


def _reason(exc: DomainError) -> str:
    """A refusal in the reader's language, each refused field named; never the person's data."""
    if isinstance(exc, InvalidFields):
        items = exc.items
    else:
        items = [(exc.field, str(exc.message))]
    parts = []
    for field, message in items:
        label = FIELD_LABELS.get(field or "")
        parts.append(_("%(field)s: %(message)s") % {"field": label, "message": message} if label else message)
    return " ".join(parts)[:300]


def _collected_at(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # Beijing time, as the phone showed it
    return moment


def _person(raw, *, campaign: str) -> PersonData:
    """The person as the phone sent it, typed; shapes that no form sends are refused here."""
    if not isinstance(raw, dict):
        raise InvalidInput(_("The entry has no person's data."), field="name")
    values = {}
    for name in TEXT_FIELDS:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > 200:
            raise InvalidInput(_("This value is not valid."), field=name)
        values[name] = value
    values["id_type"] = values["id_type"] or IdType.RESIDENT_ID
    region = raw.get("region", "")
    if not isinstance(region, str) or len(region) > 12:
        raise InvalidInput(_("Choose a county from the list."), field="region")
    lists = {}
    for name in ("organs", "tissues"):
        value = raw.get(name) or []
        if not isinstance(value, list) or len(value) > 10 or not all(isinstance(v, str) for v in value):
            raise InvalidInput(_("Choose what to donate from the list."), field="organs")
        lists[name] = value
    body = raw.get("body", False)
    if not isinstance(body, bool):
        raise InvalidInput(_("Choose what to donate from the list."), field="organs")
    birth_date = None
    if raw.get("birth_date"):
        try:
            birth_date = date.fromisoformat(str(raw["birth_date"])[:10])
        except ValueError as exc:
            raise InvalidInput(_("Enter the birth date."), field="birth_date") from exc
    return PersonData(
        **values,
        region_code=region,
        birth_date=birth_date,
        organs=lists["organs"],
        tissues=lists["tissues"],
        body=body,
        campaign=campaign,
    )


def _signature(value) -> bytes:
    """The signature drawn on screen: a PNG data URL of sensible size, as bytes."""
    if not value:
        raise InvalidInput(_("The person's signature is missing."), field="signature")
    if not isinstance(value, str) or not value.startswith(PNG_PREFIX):
        raise InvalidInput(_("The signature is not a PNG image."), field="signature")
    if len(value) > len(PNG_PREFIX) + MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        raise InvalidInput(_("The signature image is too large (at most 300 KB)."), field="signature")
    try:
        data = base64.b64decode(value[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(_("The signature is not a PNG image."), field="signature") from exc
    if not data.startswith(PNG_MAGIC) or len(data) < MIN_SIGNATURE_BYTES:
        raise InvalidInput(_("The signature is not a PNG image."), field="signature")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise InvalidInput(_("The signature image is too large (at most 300 KB)."), field="signature")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if image.format != "PNG" or not (20 <= image.width <= 4000 and 20 <= image.height <= 4000):
                raise InvalidInput(_("The signature is not a PNG image."), field="signature")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise InvalidInput(_("The signature is not a PNG image."), field="signature") from exc
    return data


def _check_event_days(event: Event, collected_at: datetime) -> None:
    """The person signed during the event: a Beijing day from its first to its last, one day's margin
    on each side (set-up the evening before, a late entry the morning after)."""
    day = timezone.localdate(collected_at)
    first, last = event.starts_on - EVENT_MARGIN, (event.ends_on or event.starts_on) + EVENT_MARGIN
    if not first <= day <= last:
        raise InvalidInput(
            _(
                "This entry was taken on %(day)s, outside the event's dates (%(first)s to %(last)s): "
                "check the phone's date, or take it again at the right event."
            )
            % {
                "day": day.isoformat(),
                "first": event.starts_on.isoformat(),
                "last": (event.ends_on or event.starts_on).isoformat(),
            },
            field="collected_at",
        )


def _check_entry(entry: dict, person: PersonData, *, event: Event, collected_at: datetime, now: datetime) -> bytes:
    """The checks of an offline entry beyond the registry's own; the signature's bytes."""
    if collected_at > now + CLOCK_SKEW:
        raise InvalidInput(
            _("The time this entry was taken is in the future: check the phone's date and time."),
            field="collected_at",
        )
    if collected_at < now - MAX_AGE:
        raise InvalidInput(
            _("This entry was taken more than 30 days ago and can no longer be synced: take it again."),
            field="collected_at",
        )
    _check_event_days(event, collected_at)
    version = entry.get("consent_version")
    if not isinstance(version, str) or version not in notices.TEXTS:
        raise InvalidInput(
            _("The consent notice shown is not a current version: take the entry again."), field="consent"
        )
    if entry.get("attested") is not True:
        raise InvalidInput(_("Confirm that you checked the person's ID card in person."), field="attested")
    signature = _signature(entry.get("signature"))
    birth = person.birth_date
    if person.id_type == IdType.RESIDENT_ID:
        try:
            birth = parse_id(person.id_number, today=timezone.localdate(now)).birth_date
        except InvalidInput:
            birth = None  # the registry names the problem with the number
    if birth and age_on(birth, timezone.localdate(collected_at)) < 18:
        raise InvalidInput(_("The person was under 18 on the day they signed."), field="birth_date")
    return signature


def _land(*, event: Event, actor, entry: dict, key: uuid.UUID, digest: str, collected_at: datetime, now: datetime):
    """One entry in the caller's transaction: its row first (the key's lock), then the registry decides."""
    row = CollectedEntry(
        event=event,
        key=key,
        request_hash=digest,
        collected_by=actor,
        collected_at=collected_at,
        received_at=now,
        state=CollectedEntry.State.RETURNED,
    )
    try:
        with transaction.atomic():
            row.save()  # a concurrent sync of the same key waits here until the first one commits
    except IntegrityError as exc:
        raise _KeyTaken from exc
    try:
        with transaction.atomic():  # a refusal undoes the registry's writes, not the row's answer
            person = _person(entry.get("person"), campaign=event.code)
            signature = _check_entry(entry, person, event=event, collected_at=collected_at, now=now)
            result = registration_create(
                actor=actor,
                data=person,
                channel=Registration.Channel.EVENT_OFFLINE,
                consent_version=entry["consent_version"],
                now=now,
                consented_at=collected_at,  # the consent record shows when the person signed
            )
            upload = ContentFile(signature, name="signature.png")
            attachment_store(owner=result, kind="signature", upload=upload, actor=actor, now=now)
    except DomainError as exc:
        row.reason = _reason(exc)
    else:
        if isinstance(result, HeldEntry):
            row.state, row.held_reference, row.reason = CollectedEntry.State.HELD, result.reference, str(HELD_MESSAGE)
        else:
            row.state, row.registration = CollectedEntry.State.LANDED, result
    row.save(update_fields=["state", "registration", "held_reference", "reason"])
    audit_log(
        action="outreach.collected.synced",
        actor=actor,
        obj=row,
        now=now,
        changes={
            "event": event.code,
            "key": str(key),
            "state": row.state,
            "collected_at": collected_at.isoformat(),
            "registration": row.registration.number if row.registration_id else "",
            "held": row.held_reference,
            "reason": row.reason,
        },
    )
    return answer(row)


def _stored(key: uuid.UUID, digest: str, event: Event) -> dict | None:
    row = CollectedEntry.objects.select_related("registration").filter(key=key).first()
    if row is None:
        return None
    if row.request_hash != digest or row.event_id != event.pk:
        return _returned(key, KEY_REUSED)
    return answer(row)


def collected_entry_sync(*, event: Event, actor, entry: dict, now: datetime) -> dict:
    """One entry, in its own transaction: the stored answer for a key seen before, else the registry's.
    The answer echoes the key exactly as it was sent, so the phone finds its entry by it."""
    result = _entry_sync(event=event, actor=actor, entry=entry, now=now)
    if isinstance(entry, dict) and isinstance(entry.get("key"), str):
        result = {**result, "key": entry["key"][:40]}
    return result


def _entry_sync(*, event: Event, actor, entry, now: datetime) -> dict:
    if not isinstance(entry, dict):
        return _returned("", _("The entry has no valid key."))
    given = entry.get("key")
    if not isinstance(given, str):  # answered by its place in the batch, with an empty key
        return _returned("", _("The entry has no valid key."))
    try:
        key = uuid.UUID(given)
    except ValueError:
        return _returned(given[:40], _("The entry has no valid key."))
    digest = request_hash(event, entry)
    stored = _stored(key, digest, event)
    if stored is not None:
        return stored
    collected_at = _collected_at(entry.get("collected_at"))
    if collected_at is None:
        return _returned(key, _("The time this entry was taken is missing or not valid."))
    try:
        with transaction.atomic():
            return _land(
                event=event, actor=actor, entry=entry, key=key, digest=digest, collected_at=collected_at, now=now
            )
    except _KeyTaken:
        stored = _stored(key, digest, event)
        if stored is None:  # cannot happen: the unique key was taken by a committed row
            raise
        return stored


def collected_sync(*, event: Event, actor, entries: list, now: datetime | None = None) -> list[dict]:
    """Sync a batch of entries taken offline at ``event``: one answer per entry, in the same order (so
    that an entry whose key is missing or malformed is still matched by its place), each
    ``{"key", "state": landed|held|returned, "number"?, "reference"?, "reason"?}``. Each entry is
    its own transaction: an interrupted batch keeps what landed, and the retry lands the rest."""
    check_perm(actor, "outreach.collect")
    if not sees(actor, event, perm="outreach.collect"):
        raise NotAllowed()
    if not isinstance(entries, list) or len(entries) > MAX_BATCH:
        raise InvalidInput(_("Send at most %(n)d entries at a time.") % {"n": MAX_BATCH}, field="entries")
    now = now or timezone.now()
    return [collected_entry_sync(event=event, actor=actor, entry=entry, now=now) for entry in entries]
