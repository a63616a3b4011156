"""Signed checkpoints of the audit chain's head, kept OUTSIDE the database (no database access here).

One JSON file per checkpoint in ``BOAI_AUDIT_CHECKPOINT_DIR``, created exclusively and never rewritten:
``{"format": 1, "head_id", "head_hash", "chain_version", "written_at", "key_id", "mac"}`` where ``mac``
is HMAC-SM3 under the audit key ``key_id`` over the other fields. Whoever owns the database can rewrite
rows and, knowing the key, even recompute the chain; a checkpoint on another host still holds the hash
the entry had when it was signed (docs/deploy.md says where to put the directory).
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from boai.lib.crypto import constant_time_equal, hmac_sm3_hex

from .keys import audit_keys

FORMAT = 1
PATTERN = "checkpoint-*.json"
SIGNED_FIELDS = ("format", "head_id", "head_hash", "chain_version", "written_at", "key_id")


@dataclass(frozen=True)
class Checkpoint:
    name: str
    head_id: int
    head_hash: str
    chain_version: int
    written_at: str

    @property
    def written(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.written_at)
        except ValueError:
            return None


@dataclass(frozen=True)
class BadCheckpoint:
    name: str
    reason: str
    key_id: int | None = None  # the key named, when only the signature failed under it


def checkpoint_dir() -> Path:
    return Path(settings.BOAI_AUDIT_CHECKPOINT_DIR)


def _message(data: dict) -> bytes:
    signed = {name: data[name] for name in SIGNED_FIELDS}
    return b"boai-audit-checkpoint|" + json.dumps(signed, sort_keys=True, separators=(",", ":")).encode("ascii")


def write(*, head_id: int, head_hash: str, chain_version: int, now: datetime, directory: Path | None = None) -> Path:
    """Sign and write one checkpoint file; never overwrites one (exclusive create, then fsync)."""
    keys = audit_keys()
    data = {
        "format": FORMAT,
        "head_id": head_id,
        "head_hash": head_hash,
        "chain_version": chain_version,
        "written_at": now.isoformat(timespec="microseconds"),
        "key_id": keys.current_id,
    }
    data["mac"] = hmac_sm3_hex(keys.key(keys.current_id), _message(data))
    directory = directory or checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"checkpoint-{now.strftime('%Y%m%dT%H%M%S%fZ')}-{head_id:012d}.json"
    with path.open("x", encoding="ascii") as fh:  # "x": an existing file is an error, never replaced
        fh.write(json.dumps(data, sort_keys=True, indent=1) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def parse(name: str, text: str) -> Checkpoint | BadCheckpoint:
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            return BadCheckpoint(name, _("unknown checkpoint format %(format)s") % {"format": repr(data.get("format"))})
        head_id, head_hash, mac = int(data["head_id"]), str(data["head_hash"]), str(data["mac"])
        key = audit_keys().key(data["key_id"]) if isinstance(data["key_id"], int) else None
        if key is None:
            return BadCheckpoint(
                name, _("signed with audit key %(key)s, which is not configured") % {"key": repr(data["key_id"])}
            )
        if not constant_time_equal(hmac_sm3_hex(key, _message(data)), mac):
            reason = _("its signature does not match (the file was altered or forged)")
            return BadCheckpoint(name, reason, key_id=data["key_id"])
        return Checkpoint(name, head_id, head_hash, int(data["chain_version"]), str(data["written_at"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return BadCheckpoint(name, _("it cannot be read (%(error)s)") % {"error": type(exc).__name__})


def read_all(directory: Path | None = None) -> list[Checkpoint | BadCheckpoint]:
    """Every checkpoint file, oldest name first; an unreadable or badly signed file is a BadCheckpoint."""
    directory = directory or checkpoint_dir()
    if not directory.is_dir():
        return []
    out = []
    for path in sorted(directory.glob(PATTERN)):
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            out.append(BadCheckpoint(path.name, _("it cannot be read (%(error)s)") % {"error": type(exc).__name__}))
            continue
        out.append(parse(path.name, text))
    return out
