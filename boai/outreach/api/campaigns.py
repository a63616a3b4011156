"""API of the campaigns area."""


def register(router) -> None:
    pass
