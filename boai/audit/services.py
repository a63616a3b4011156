"""Writing the audit log. Every service calls ``audit_log`` inside its own transaction, so the
entry commits or rolls back with the change it describes."""

import json
from dataclasses import dataclass
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from boai.lib.context import current_context
from boai.lib.masking import mask_birth_date, mask_id_number, mask_name, mask_phone

from . import checkpoints
from .chain import entry_hash
from .keys import audit_keys
from .models import AuditEntry, AuditHead
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
    """Append one entry to the chain. Call inside the caller's transaction."""
    ctx = current_context()
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    actor = actor or SYSTEM
    is_user = getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=1)  # the chain lock: one writer at a time
        entry = AuditEntry(
            id=head.last_id + 1,
            created_at=now or timezone.now(),
            actor_id=actor.pk if is_user else getattr(actor, "id", None),
            actor_username=(actor.get_username() if is_user else actor.username)[:150],
            actor_role=getattr(actor, "role", "") or "",
            ip=ctx.ip,
            request_id=ctx.request_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=str(object_repr)[:200],
            changes=masked_changes(changes),
            success=success,
            prev_hash=head.last_hash,
            chain_version=audit_keys().current_id,
        )
        entry.hash = entry_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
        head.last_id, head.last_hash = entry.id, entry.hash
        head.save(update_fields=["last_id", "last_hash"])
    return entry


def audit_log_now(**kwargs) -> AuditEntry:
    """For security events outside any business transaction (failed logins, denials): commit at once."""
    with transaction.atomic():
        return audit_log(**kwargs)


class CheckpointRefused(Exception):
    """The chain does not verify: its head is not signed (that would bless a rewrite)."""


def checkpoint_write(now=None):
    """Verify the chain (key and earlier checkpoints), then sign its head into a new checkpoint file
    outside the database. Hourly from Celery beat, and ``manage.py audit_checkpoint``."""
    report = verify_chain()
    if not report.ok:
        raise CheckpointRefused(f"audit chain BROKEN at entry #{report.bad_id}: {report.reason}")
    head_id, head_hash, version = report.head  # exactly what was verified, not a head read afterwards
    return checkpoints.write(head_id=head_id, head_hash=head_hash, chain_version=version, now=now or timezone.now())
