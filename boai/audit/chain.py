"""The canonical form of an audit entry and its chain hash (no database access).

Chain version N >= 1: ``HMAC-SM3(audit key N, "boai-audit-vN|" + prev_hash + "|" + canonical entry)``.
Without the key, whoever can write the table (its owner, a superuser) cannot recompute a valid hash.
Version 0 was the plain ``SM3(prev_hash + "|" + canonical entry)`` of the first releases: migration
``audit/0004`` checked those entries and re-chained them under the key; nothing accepts it any more.
"""

import json
from datetime import UTC, datetime

from boai.lib.crypto import hmac_sm3_hex, sm3_hex

from .keys import audit_keys

CHAINED_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "ip",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "success",
)
# What an entry says, as opposed to its place in the chain (its id): what an unsealed entry already holds.
CONTENT_FIELDS = CHAINED_FIELDS[1:]


def _canonical_value(name, value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(entry) -> bytes:
    data = {name: _canonical_value(name, getattr(entry, name)) for name in CHAINED_FIELDS}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class UnknownAuditKey(LookupError):
    """The entry names an audit key id that is not configured."""


def legacy_hash(prev_hash: str, entry) -> str:
    """Chain version 0 (unkeyed SM3): anyone able to write the table can recompute it."""
    return sm3_hex(prev_hash.encode("ascii") + b"|" + canonical(entry))


def entry_hash(prev_hash: str, entry, keys=None) -> str:
    version = entry.chain_version
    key = (keys or audit_keys()).key(version) if version else None
    if key is None:
        raise UnknownAuditKey(version)
    message = f"boai-audit-v{version}|{prev_hash}|".encode("ascii") + canonical(entry)
    return hmac_sm3_hex(key, message)
