"""API of the media area."""


def register(router) -> None:
    pass
