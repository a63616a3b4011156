"""Selectors of followups."""
