"""(being built)"""


def section(*, coordinator, user) -> dict:
    """What the coordinator's page shows of this area (templates/coordinators/sections/practice.html)."""
    return {}
