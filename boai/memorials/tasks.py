"""The memorials' background jobs (none yet)."""

BEAT: dict = {}
