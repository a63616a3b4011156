"""Demo data of sites."""


def load() -> bool:
    return False
