"""Selectors of payments."""
