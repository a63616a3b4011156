"""The collect area's rows of the permission matrix."""

MATRIX: list = []
