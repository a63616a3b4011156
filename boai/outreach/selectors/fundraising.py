"""Reads of the fundraising area."""
