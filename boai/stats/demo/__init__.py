"""Statistics' demo data (``load_demo``): the population table. Not part of the tests' baseline."""

BASELINE = False


def load() -> bool:
    return False
