"""The audit chain's HMAC-SM3 keys, from ``BOAI_AUDIT_KEY`` (the environment, never the database).

``BOAI_AUDIT_KEY = "2:HEX,1:HEX"``: key ids are positive integers, each key at least 16 bytes of hex.
The first key signs new entries and checkpoints; every listed key verifies. An entry's
``chain_version`` is the id of the key that chained it, so rotating the key starts a new chain
version without rewriting a row (docs/deploy.md, "Rotating the audit key").
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from boai.lib.crypto import KeyConfigError


@dataclass(frozen=True)
class AuditKeys:
    current_id: int
    keys: dict  # key id (int) -> bytes

    def key(self, key_id: int) -> bytes | None:
        return self.keys.get(key_id)


@lru_cache(maxsize=8)
def parse(spec: str) -> AuditKeys:
    keys, current = {}, None
    for part in [p.strip() for p in (spec or "").split(",") if p.strip()]:
        key_id, _, hexkey = part.rpartition(":")
        key_id = key_id or "1"
        if not key_id.isdigit() or not 0 < int(key_id) < 32768:
            raise KeyConfigError(f"audit key id {key_id!r} must be a whole number from 1 to 32767")
        try:
            raw = bytes.fromhex(hexkey)
        except ValueError as exc:
            raise KeyConfigError(f"audit key {key_id} is not hexadecimal") from exc
        if len(raw) < 16:
            raise KeyConfigError(f"audit key {key_id} must be at least 16 bytes (32 hex digits)")
        if int(key_id) in keys:
            raise KeyConfigError(f"audit key id {key_id} appears twice")
        keys[int(key_id)] = raw
        current = current or int(key_id)
    if not keys:
        raise KeyConfigError("no audit key configured (BOAI_AUDIT_KEY)")
    return AuditKeys(current_id=current, keys=keys)


def audit_keys() -> AuditKeys:
    return parse(settings.BOAI_AUDIT_KEY)
