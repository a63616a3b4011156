"""Services of families."""
