"""API of families."""


def register(router) -> None:
    pass
