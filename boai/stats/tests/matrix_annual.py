"""Permission matrix rows of the annual API."""

MATRIX: list = []
