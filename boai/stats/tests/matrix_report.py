"""Permission matrix rows of the report area."""

MATRIX: list = []
