"""Reads of the events area."""
