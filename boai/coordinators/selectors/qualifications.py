"""(being built)"""


def section(*, coordinator, user) -> dict:
    """What the coordinator's page shows of this area (templates/coordinators/sections/qualifications.html)."""
    return {}
