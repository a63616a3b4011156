"""Selectors of families."""
