"""Permission matrix rows of the open_data area."""

MATRIX: list = []
