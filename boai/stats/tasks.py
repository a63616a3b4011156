"""Statistics' background jobs."""

BEAT: dict = {}
