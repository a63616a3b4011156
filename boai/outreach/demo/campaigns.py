"""Demo data of the campaigns area."""


def load() -> bool:
    return False
