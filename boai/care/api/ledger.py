"""API of ledger."""


def register(router) -> None:
    pass
