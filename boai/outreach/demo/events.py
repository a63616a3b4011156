"""Demo data of the events area."""


def load() -> bool:
    return False
