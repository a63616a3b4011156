"""Demo data of wall."""


def load() -> bool:
    return False
