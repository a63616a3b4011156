"""The events area's rows of the permission matrix."""

MATRIX: list = []
