"""API of followups."""


def register(router) -> None:
    pass
