"""Services of the ledger: the check of the ledger against itself and the audit chain (a read, but
audited: who checked, what was found)."""

from dataclasses import dataclass

from django.db import transaction

from boai.accounts.scoping import visible
from boai.audit.selectors import ChainReport, verify_chain
from boai.audit.services import audit_log, audit_seal

from ..models import LedgerEntry, Payment
from ..selectors import ledger as selectors


@dataclass(frozen=True)
class LedgerCheck:
    checked: int
    mismatches: list
    chain: ChainReport

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.chain.ok


def check(*, actor) -> LedgerCheck:
    """Recompute every ledger entry the actor sees, compare it with its stored and audited hash, walk
    the audit chain; audited as ``care.ledger.checked`` with what was found."""
    audit_seal()  # fewer unsealed entries to report; one written after this is read unsealed (audited_hashes)
    entries = visible(actor, LedgerEntry.objects.order_by("id"), perm="care.export")
    payments = visible(actor, Payment.objects.all(), perm="care.export").values_list("pk", flat=True)
    checked, mismatches = selectors.check_entries(entries, payments)
    chain = verify_chain()
    with transaction.atomic():
        audit_log(
            action="care.ledger.checked",
            actor=actor,
            object_type="care.ledgerentry",
            object_repr="ledger",
            changes={
                "entries": checked,
                "mismatches": len(mismatches),
                "entries_with_mismatch": sorted({m.entry_id for m in mismatches if m.entry_id})[:50],
                "chain_ok": chain.ok,
            },
        )
    return LedgerCheck(checked, mismatches, chain)
