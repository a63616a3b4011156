"""The audit chain's HMAC-SM3 keys, from ``BOAI_AUDIT_KEY`` (the environment, never the database).

``BOAI_AUDIT_KEY = "2:HEX,1:HEX"``: key ids are positive integers, each key at least 16 bytes of hex.
The first key signs new entries and checkpoints; every listed key verifies. An entry's
``chain_version`` is the id of the key that chained it, so rotating the key starts a new chain
version without rewriting a row (docs/deploy.md, "Rotating the audit key").
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from boai.lib.crypto import KeyConfigError, parse_key_list


@dataclass(frozen=True)
class AuditKeys:
    current_id: int
    keys: dict  # key id (int) -> bytes

    def key(self, key_id: int) -> bytes | None:
        return self.keys.get(key_id)


@lru_cache(maxsize=8)
def parse(spec: str) -> AuditKeys:
    listed = parse_key_list(
        spec,
        what="audit key",
        lengths=(16, 1 << 16),
        id_ok=lambda key_id: key_id.isdigit() and 0 < int(key_id) < 32768,
        id_says="a whole number from 1 to 32767",
    )
    if not listed:
        raise KeyConfigError("no audit key configured (BOAI_AUDIT_KEY)")
    keys = {int(key_id): raw for key_id, raw in listed.items()}
    current = next(iter(keys))
    return AuditKeys(current_id=current, keys=keys)


def audit_keys() -> AuditKeys:
    return parse(settings.BOAI_AUDIT_KEY)
