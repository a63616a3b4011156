"""(being built)"""


def load() -> None:
    pass
