"""Permission matrix rows of the population area."""

MATRIX: list = []
