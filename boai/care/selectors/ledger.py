"""Reads of the ledger: the row hash of a ledger entry (written with the entry and carried by its
audit entry), the public, anonymised table and its check against the audit chain."""

from boai.lib.crypto import sm3_hex


def entry_hash(entry) -> str:
    """The SM3 hash of a ledger entry's canonical form: what it records of the money, not who was paid.
    Fixed once written; the audit entry of the write carries it as ``row_hash``."""
    fields = (
        entry.pk,
        entry.payment_id,
        entry.reverses_id or "",
        entry.amount_fen,
        entry.kind,
        entry.prefecture_id,
        entry.paid_on.isoformat(),
        entry.method,
        entry.voucher,
    )
    return sm3_hex("|".join(str(f) for f in fields).encode())
