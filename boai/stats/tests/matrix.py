"""Statistics' rows of the permission matrix (collected by accounts/tests/test_matrix.py), one module
per area; each may declare ``context(ctx) -> dict`` for the records its paths name."""

from . import matrix_annual, matrix_dashboard, matrix_open_data, matrix_pathway, matrix_population, matrix_report

AREAS = (matrix_annual, matrix_dashboard, matrix_report, matrix_pathway, matrix_population, matrix_open_data)
MATRIX = [row for area in AREAS for row in area.MATRIX]


def context(ctx):
    made: dict = {}
    for area in AREAS:
        if hasattr(area, "context"):
            made.update(area.context({**ctx, **made}))
    return made
