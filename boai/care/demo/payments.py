"""Demo data of payments."""


def load() -> bool:
    return False
