"""Demo data of families."""


def load() -> bool:
    return False
