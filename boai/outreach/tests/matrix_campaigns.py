"""The campaigns area's rows of the permission matrix."""

MATRIX: list = []
