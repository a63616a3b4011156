"""Permission matrix rows of the pathway area."""

MATRIX: list = []
