"""Outreach's demo data (``load_demo``): partners, a registration season with its events, media reports
and a fundraising project. Not part of the tests' baseline (``BASELINE = False``): tests make their own
records (``tests.factories``)."""

BASELINE = False


def load() -> bool:
    from . import campaigns, collect, events, fundraising, media

    return any([events.load(), campaigns.load(), collect.load(), media.load(), fundraising.load()])
