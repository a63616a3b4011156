"""API of wall."""


def register(router) -> None:
    pass
