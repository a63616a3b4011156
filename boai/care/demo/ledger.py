"""Demo data of ledger."""


def load() -> bool:
    return False
