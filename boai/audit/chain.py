"""The canonical form of an audit entry and its SM3 chain hash (pure: no database access)."""

import json
from datetime import UTC, datetime

from boai.lib.crypto import sm3_hex

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


def _canonical_value(name, value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(entry) -> bytes:
    data = {name: _canonical_value(name, getattr(entry, name)) for name in CHAINED_FIELDS}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(prev_hash: str, entry) -> str:
    return sm3_hex(prev_hash.encode("ascii") + b"|" + canonical(entry))
