"""Reads of the media area."""
