"""Writes of the fundraising area."""
