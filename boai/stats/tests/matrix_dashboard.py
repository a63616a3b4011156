"""Permission matrix rows of the dashboard area."""

MATRIX: list = []
