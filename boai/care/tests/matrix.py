"""The care app's rows of the permission matrix (collected by accounts/tests/test_matrix.py),
one module per area; each may declare ``context(ctx) -> dict`` for the records its paths name."""

from . import matrix_families, matrix_followups, matrix_ledger, matrix_payments

AREAS = (
    matrix_families,
    matrix_followups,
    matrix_payments,
    matrix_ledger,
)
MATRIX = [row for area in AREAS for row in area.MATRIX]


def context(ctx):
    made: dict = {}
    for area in AREAS:
        if hasattr(area, "context"):
            made.update(area.context({**ctx, **made}))
    return made
