"""Demo data of the fundraising area."""


def load() -> bool:
    return False
