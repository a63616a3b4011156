"""Services of ledger."""
