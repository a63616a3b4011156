"""Demo data of the media area."""


def load() -> bool:
    return False
