"""Demo data of followups."""


def load() -> bool:
    return False
