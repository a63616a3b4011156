"""API of the fundraising area."""


def register(router) -> None:
    pass
