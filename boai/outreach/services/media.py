"""Writes of the media area."""
