"""API of payments."""


def register(router) -> None:
    pass
