"""Every read of outreach, by area (see ``services``)."""
