"""Wall's rows of the permission matrix."""

MATRIX: list = []
