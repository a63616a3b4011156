"""Selectors of sites."""
