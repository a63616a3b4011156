"""Outreach's panels on the workspace home page (``lib.home``)."""

PANELS: list = []
