"""API of the events area."""


def register(router) -> None:
    pass
