"""The memorials app's demo data (``load_demo``). Not part of the tests' baseline (``BASELINE = False``):
it builds on the demo cases, which are not either; tests make their own records (``tests.factories``)."""

BASELINE = False


def load() -> bool:
    from . import sites, wall

    return any([sites.load(), wall.load()])
