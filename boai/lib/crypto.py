"""Field encryption (SM4-GCM) and blind indexes (HMAC-SM3), with versioned keys.

Ciphertext format (text, so it fits any database): ``"<key id>$<base64(nonce 12 | ciphertext | tag 16)>"``.
The key id travels with each value, so keys can be rotated one row at a time. The additional
authenticated data binds a value to its column: a ciphertext copied into another column fails.

Keys come from settings (environment), never from the database:
- ``BOAI_FIELD_KEY`` = ``"2:hex32,1:hex32"`` — the first entry encrypts, every entry decrypts.
  A bare ``hex32`` means key id ``1``.
- ``BOAI_INDEX_KEY`` = hex, at least 16 bytes.
"""

import base64
import hashlib
import hmac as std_hmac
import logging
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

logger = logging.getLogger("boai.crypto")

NONCE_BYTES = 12
TAG_BYTES = 16


class KeyConfigError(ValueError):
    """The key configuration cannot be used."""


def parse_key_list(
    spec: str, *, what: str, lengths: tuple[int, int], unit: str = "", id_ok=str.isalnum, id_says="letters or digits"
) -> dict:
    """{key id: raw key} from "id:hex,id:hex" (an id may be left out: "1"), the current key first, as
    every key setting is written (BOAI_FIELD_KEY, BOAI_AUDIT_KEY, BOAI_BACKUP_KEY). ``lengths`` is the
    (least, most) bytes a key may have. Raises KeyConfigError naming the key and what is wrong."""
    keys = {}
    for n, part in enumerate([p.strip() for p in (spec or "").split(",") if p.strip()], start=1):
        key_id, _, hexkey = part.rpartition(":")
        key_id = key_id or "1"
        if not id_ok(key_id):  # never echo the text: a typo (a colon too many) would print the key
            raise KeyConfigError(f"{what} entry {n} is not ID:HEX (the id must be {id_says})")
        try:
            raw = bytes.fromhex(hexkey)
        except ValueError as exc:
            raise KeyConfigError(f"{what} {key_id} is not hexadecimal") from exc
        least, most = lengths
        if not least <= len(raw) <= most:
            size = f"{least} bytes ({least * 2} hex digits)"
            raise KeyConfigError(f"{what} {key_id} must be {'' if least == most else 'at least '}{size}{unit}")
        if key_id in keys:
            raise KeyConfigError(f"{what} id {key_id} appears twice")
        keys[key_id] = raw
    return keys


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong key, or the ciphertext was altered."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict  # key id -> 16-byte key

    @classmethod
    def parse(cls, spec: str) -> "KeyRing":
        keys = parse_key_list(spec, what="field key", lengths=(16, 16), unit=" for SM4")
        if not keys:
            raise KeyConfigError("no field key configured")
        current = next(iter(keys))
        return cls(current_id=current, keys=keys)


@lru_cache(maxsize=8)
def _ring(spec: str) -> KeyRing:
    return KeyRing.parse(spec)


def _settings_ring() -> KeyRing:

    return _ring(settings.BOAI_FIELD_KEY)


def _index_key() -> bytes:

    try:
        key = bytes.fromhex(settings.BOAI_INDEX_KEY)
    except ValueError as exc:
        raise KeyConfigError("BOAI_INDEX_KEY is not hexadecimal") from exc
    if len(key) < 16:
        raise KeyConfigError("BOAI_INDEX_KEY must be at least 16 bytes")
    return key


def encrypt(plaintext: str, *, context: str, ring: KeyRing | None = None) -> str:
    ring = ring or _settings_ring()
    nonce = os.urandom(NONCE_BYTES)
    enc = Cipher(algorithms.SM4(ring.keys[ring.current_id]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(context.encode())
    body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    return f"{ring.current_id}${base64.b64encode(nonce + body + enc.tag).decode('ascii')}"


def encrypter(*, context: str, ring: KeyRing | None = None):
    """``encrypt`` for many values of one column, faster: the key, the additional data and the prefix
    are prepared once and the random nonces drawn in batches. Same format, same ``decrypt``."""
    ring = ring or _settings_ring()
    sm4, aad, prefix = algorithms.SM4(ring.keys[ring.current_id]), context.encode(), f"{ring.current_id}$"
    b64, gcm, urandom = base64.b64encode, modes.GCM, os.urandom
    pool, at = b"", 0

    def encrypt_one(plaintext: str) -> str:
        nonlocal pool, at
        if at >= len(pool):
            pool, at = urandom(NONCE_BYTES * 4096), 0
        nonce = pool[at : at + NONCE_BYTES]
        at += NONCE_BYTES
        enc = Cipher(sm4, gcm(nonce)).encryptor()
        enc.authenticate_additional_data(aad)
        body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
        return prefix + b64(nonce + body + enc.tag).decode("ascii")

    return encrypt_one


def key_id_of(token: str) -> str:
    return token.partition("$")[0]


def decrypt(token: str, *, context: str, ring: KeyRing | None = None) -> str:
    ring = ring or _settings_ring()
    key_id, sep, payload = token.partition("$")
    try:
        if not sep or key_id not in ring.keys:
            raise DecryptionError(f"unknown key id {key_id!r}")
        raw = base64.b64decode(payload, validate=True)
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("ciphertext too short")
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        dec = Cipher(algorithms.SM4(ring.keys[key_id]), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(context.encode())
        return (dec.update(body) + dec.finalize()).decode("utf-8")
    except (InvalidTag, ValueError, DecryptionError) as exc:
        # Never log the value itself: only where it was and why it failed.
        shown = key_id if sep and key_id.isascii() and key_id.isalnum() and len(key_id) <= 16 else "(not a token)"
        logger.error("decryption failed for %s (key id %r): %s", context, shown, type(exc).__name__)
        raise DecryptionError(f"cannot decrypt {context}") from exc


def _ascii_digit(ch: str) -> str:
    """Any Unicode decimal digit (full-width, Arabic-Indic, …) as its ASCII digit."""
    if ch.isdecimal() and not ch.isascii():
        return str(unicodedata.decimal(ch))
    return ch


def normalise(value: str) -> str:
    """Fold full-width characters and every kind of digit to ASCII, drop spaces, upper-case (x -> X)."""
    if value and value.isascii():  # NFKC leaves ASCII alone; split() drops exactly what isspace() does
        return "".join(value.split()).upper()
    folded = unicodedata.normalize("NFKC", value or "")
    return "".join(_ascii_digit(ch) for ch in folded if not ch.isspace()).upper()


def normalise_phone(value: str) -> str:
    digits = "".join(ch for ch in normalise(value) if ch.isdigit() or ch == "+")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits.lstrip("+")


@lru_cache(maxsize=32)
def _keyed_hmac(key: bytes, purpose: str) -> crypto_hmac.HMAC:
    """An HMAC already keyed and fed the purpose: copying it is about twice as fast as a new one."""
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(purpose.encode() + b"\x00")
    return mac


def blind_index(value: str, *, purpose: str, key: bytes | None = None) -> str:
    """HMAC-SM3 over the purpose and the normalised value, hex. Same input, same index."""
    mac = _keyed_hmac(key or _index_key(), purpose).copy()
    mac.update(value.encode("utf-8"))
    return mac.finalize().hex()


def blind_indexer(*, purpose: str, key: bytes | None = None):
    """``blind_index`` for many values of one purpose (the key read once)."""
    base = _keyed_hmac(key or _index_key(), purpose)

    def index_one(value: str) -> str:
        mac = base.copy()
        mac.update(value.encode("utf-8"))
        return mac.finalize().hex()

    return index_one


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def sm3_hex(data: bytes) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encrypt_bytes(data: bytes, *, context: str, ring: KeyRing | None = None) -> bytes:
    """Files at rest: b"BOAI1" | key id | "$" | nonce | ciphertext | tag."""
    ring = ring or _settings_ring()
    nonce = os.urandom(NONCE_BYTES)
    enc = Cipher(algorithms.SM4(ring.keys[ring.current_id]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(context.encode())
    body = enc.update(data) + enc.finalize()
    return b"BOAI1" + ring.current_id.encode() + b"$" + nonce + body + enc.tag


def decrypt_bytes(blob: bytes, *, context: str, ring: KeyRing | None = None) -> bytes:
    ring = ring or _settings_ring()
    if not blob.startswith(b"BOAI1") or b"$" not in blob[:40]:
        raise DecryptionError(f"{context} is not an encrypted Boai file")
    key_id, _sep, rest = blob[5:].partition(b"$")
    key_id = key_id.decode(errors="replace")
    try:
        if key_id not in ring.keys or len(rest) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError(f"unknown key id {key_id!r}")
        nonce, body, tag = rest[:NONCE_BYTES], rest[NONCE_BYTES:-TAG_BYTES], rest[-TAG_BYTES:]
        dec = Cipher(algorithms.SM4(ring.keys[key_id]), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(context.encode())
        return dec.update(body) + dec.finalize()
    except (InvalidTag, ValueError, DecryptionError) as exc:
        logger.error("file decryption failed for %s (key id %r): %s", context, key_id, type(exc).__name__)
        raise DecryptionError(f"cannot decrypt {context}") from exc
