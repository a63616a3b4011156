"""Writing the audit log. Every service calls ``audit_log`` inside its own transaction, so the
entry commits or rolls back with the change it describes."""

import json
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from boai.lib.changes import changed as data_changed
from boai.lib.context import current_context
from boai.lib.masking import mask_birth_date, mask_id_number, mask_name, mask_phone

from . import checkpoints
from .chain import CONTENT_FIELDS, entry_hash
from .keys import audit_keys
from .models import AuditEntry, AuditHead, AuditPending
from .selectors import verify_chain

# Keys whose values never enter the log in clear.
_MASKERS = {
    "id_number": mask_id_number,
    "birth_date": mask_birth_date,  # the year only: the date would complete a masked ID number
    "consenter_id_number": mask_id_number,
    "phone": mask_phone,
    "executor_phone": mask_phone,
    "name": mask_name,
    "executor_name": mask_name,
    "recipient_name": mask_name,
    "contact_name": mask_name,
}
# Keys whose values are replaced entirely: secrets, and free personal text.
_REDACTED = {"password", "token", "code", "sms_code", "otp", "secret", "key", "address", "family_informed"}


def mask_value(key: str, value):
    if value in (None, "", [], {}):
        return value
    if key in _MASKERS:
        return _MASKERS[key](value if isinstance(value, date) else str(value))
    if key.endswith("birth_date") or key == "born":  # any birth date: its year only
        return mask_birth_date(value if isinstance(value, date) else str(value))
    if key in _REDACTED or key.endswith(("_password", "_secret", "_token", "_address")):
        return "***"
    return value


def masked_changes(changes: dict | None) -> dict:
    """``{field: value}`` or ``{field: [old, new]}`` with sensitive values masked, JSON-native."""
    out = {}
    for key, value in (changes or {}).items():
        if isinstance(value, list | tuple) and len(value) == 2:
            out[key] = [mask_value(key, value[0]), mask_value(key, value[1])]
        else:
            out[key] = mask_value(key, value)
    return json.loads(json.dumps(out, cls=DjangoJSONEncoder))


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the keys whose values differ."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


@dataclass(frozen=True)
class Actor:
    """Who acted when there is no user account (a citizen, the system, an anonymous login attempt)."""

    username: str
    role: str = ""
    id: int | None = None


SYSTEM = Actor(username="system", role="system")


# Actions that record who read, exported or printed something, or signed in or out: no data changes
_READ_ENDINGS = ("viewed", "revealed", "exported", "looked_up", "downloaded", "printed")


def _reads_only(action: str) -> bool:
    return action.endswith(_READ_ENDINGS) or action.startswith(("accounts.login.", "accounts.logout"))


def audit_log(
    *,
    action: str,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id="",
    object_repr: str = "",
    changes: dict | None = None,
    success: bool = True,
    now=None,
) -> AuditEntry:
    """Append one entry to the audit log. Call inside the caller's transaction: the entry commits or
    rolls back with it. Sealed into the chain at once (the head's lock is then held until the caller
    commits), or, with ``BOAI_AUDIT_SEAL_DEFERRED``, moments later by ``audit_seal``: then the entry
    returned has no id nor hash yet."""
    ctx = current_context()
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    actor = actor or SYSTEM
    is_user = getattr(actor, "is_authenticated", False)
    fields = {
        "created_at": now or timezone.now(),
        "actor_id": actor.pk if is_user else getattr(actor, "id", None),
        "actor_username": (actor.get_username() if is_user else actor.username)[:150],
        "actor_role": getattr(actor, "role", "") or "",
        "ip": ctx.ip,
        "request_id": ctx.request_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:64],
        "object_repr": str(object_repr)[:200],
        "changes": masked_changes(changes),
        "success": success,
    }
    if success and not _reads_only(action):  # what keeps numbers from the data (the menu's badges) recounts
        data_changed()
    if settings.BOAI_AUDIT_SEAL_DEFERRED:
        # Sealed moments later by the sealer: the caller's transaction never waits on the head's lock.
        pending = AuditPending.objects.create(**fields)
        return AuditEntry(id=None, hash="", prev_hash="", **_content(pending))
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=1)  # the chain lock, held until the caller commits
        entry = AuditEntry(
            id=head.last_id + 1, prev_hash=head.last_hash, chain_version=audit_keys().current_id, **fields
        )
        entry.hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
        head.last_id, head.last_hash = entry.id, entry.hash
        head.save(update_fields=["last_id", "last_hash"])
    return entry


def _content(pending: AuditPending) -> dict:
    return {name: getattr(pending, name) for name in CONTENT_FIELDS}


def audit_seal(*, batch_size: int = 2000) -> dict:
    """Seal the committed unsealed entries into the chain: under the head's lock, in their id order,
    each gets the next chain id, the previous hash and its own, and leaves the queue in the same
    transaction. Every pass seals all that is visible, so an entry committed after a later-numbered one
    was sealed is sealed by the next pass (the chain order is the seal order; nothing is skipped).
    Returns ``{unsealed id: AuditEntry}`` of what was sealed. Celery beat every few seconds
    (``audit.seal``), before every checkpoint and every ledger check."""
    sealed = {}
    keys = audit_keys()
    version = keys.current_id
    while True:
        with transaction.atomic():
            head = AuditHead.objects.select_for_update().get(pk=1)  # the chain lock: one sealer at a time
            batch = list(AuditPending.objects.order_by("id")[:batch_size])
            if not batch:
                return sealed
            entries = []
            for pending in batch:
                entry = AuditEntry(
                    id=head.last_id + 1, prev_hash=head.last_hash, chain_version=version, **_content(pending)
                )
                entry.hash = entry_hash(entry.prev_hash, entry, keys)
                head.last_id, head.last_hash = entry.id, entry.hash
                entries.append(entry)
                sealed[pending.id] = entry
            AuditEntry.objects.bulk_create(entries)
            AuditPending.objects.filter(id__in=[p.id for p in batch]).delete()
            head.save(update_fields=["last_id", "last_hash"])
        if len(batch) < batch_size:
            return sealed


def audit_log_now(**kwargs) -> AuditEntry:
    """For security events outside any business transaction (failed logins, denials): commit at once."""
    with transaction.atomic():
        return audit_log(**kwargs)


class CheckpointRefused(Exception):
    """The chain does not verify: its head is not signed (that would bless a rewrite)."""


def checkpoint_write(now=None):
    """Verify the chain (key and earlier checkpoints), then sign its head into a new checkpoint file
    outside the database. Hourly from Celery beat, and ``manage.py audit_checkpoint``."""
    audit_seal()  # sign the latest head, not one that leaves committed entries unsealed
    report = verify_chain()
    if not report.ok:
        raise CheckpointRefused(f"audit chain BROKEN at entry #{report.bad_id}: {report.reason}")
    head_id, head_hash, version = report.head  # exactly what was verified, not a head read afterwards
    return checkpoints.write(head_id=head_id, head_hash=head_hash, chain_version=version, now=now or timezone.now())
