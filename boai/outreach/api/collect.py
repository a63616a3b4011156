"""API of the collect area."""


def register(router) -> None:
    pass
