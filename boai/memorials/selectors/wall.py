"""Selectors of wall."""
