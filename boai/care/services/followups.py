"""Services of followups."""
