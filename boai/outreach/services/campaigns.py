"""Writes of the campaigns area."""
