"""Background jobs of the cases app: none yet (every step is a short transaction)."""
