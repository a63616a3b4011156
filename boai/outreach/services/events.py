"""Writes of the events area."""
