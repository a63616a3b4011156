"""Services of payments."""
