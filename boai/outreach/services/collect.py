"""Writes of the collect area."""
