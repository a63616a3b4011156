"""Permission matrix rows of the population area: the population table (stats.population: the
province's administrators and the branches' staff)."""

from boai.core.tests.matrix_rules import MANAGERS, only

MATRIX: list = [
    ("workspace/stats/population/", "get", "/workspace/stats/population/", only(MANAGERS), 302),
    (
        "workspace/stats/population/",
        "post",
        "/workspace/stats/population/",
        only(MANAGERS, 400),  # nothing filled in: the form again with its messages, nothing written
        302,
        {"region": "", "year": "", "population": ""},
    ),
]
