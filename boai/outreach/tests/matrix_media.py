"""The media area's rows of the permission matrix."""

MATRIX: list = []
