"""Background jobs of the certificates app: none yet (a batch of 100,000 blanks is one short transaction)."""
