"""Every write of outreach, by area: ``events`` (events and partners), ``campaigns``, ``collect`` (the
registrations taken offline at events, synced), ``media`` and ``fundraising``."""
