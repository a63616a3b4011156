"""Outreach's API, by area; each module declares ``register(router)``."""
