"""Demo data of the collect area."""


def load() -> bool:
    return False
