"""Permission matrix rows of the annual report: the page (stats.view) and its download (stats.export),
each for the user's own area (the default when no area is named)."""

from boai.core.tests.matrix_rules import EXPORTERS, VIEWERS, only

W = "/workspace/stats"

MATRIX = [
    ("workspace/stats/report/", "get", f"{W}/report/", only(VIEWERS), 302),
    ("workspace/stats/report/download/", "get", f"{W}/report/download/?year=2025&format=docx", only(EXPORTERS), 302),
]
