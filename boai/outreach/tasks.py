"""Outreach's background jobs (none yet)."""

BEAT: dict = {}
