"""Services of wall."""
