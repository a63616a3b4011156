"""Outreach's rows of the permission matrix (collected by accounts/tests/test_matrix.py), one module
per area; each may declare ``context(ctx) -> dict`` for the records its paths name."""

from . import matrix_campaigns, matrix_collect, matrix_events, matrix_fundraising, matrix_media

AREAS = (matrix_events, matrix_campaigns, matrix_collect, matrix_media, matrix_fundraising)
MATRIX = [row for area in AREAS for row in area.MATRIX]


def context(ctx):
    made: dict = {}
    for area in AREAS:
        if hasattr(area, "context"):
            made.update(area.context({**ctx, **made}))
    return made
