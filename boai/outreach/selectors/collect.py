"""Reads of the collect area."""
