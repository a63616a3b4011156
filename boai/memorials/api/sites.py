"""API of sites."""


def register(router) -> None:
    pass
