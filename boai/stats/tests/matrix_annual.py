"""Permission matrix rows of the annual API: every role with ``stats.view`` reads the figures of its
own area (the default region); a branch asking for the province's is refused."""

from boai.core.tests.matrix_rules import VIEWERS, only

MATRIX = [
    ("api/v1/stats/annual/", "get", "/api/v1/stats/annual/?year=2025", only(VIEWERS), 401),
    ("api/v1/stats/period/", "get", "/api/v1/stats/period/?from=2024&to=2025", only(VIEWERS), 401),
    # the province's figures: only the roles whose area is the province
    (
        "api/v1/stats/annual/",
        "get",
        "/api/v1/stats/annual/?year=2025&region=53",
        only({"prov_admin", "coordinator", "auditor"}),
        401,
    ),
]
