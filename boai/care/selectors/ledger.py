"""Selectors of ledger."""
