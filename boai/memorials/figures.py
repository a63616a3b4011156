"""The memorials' published figures (``core.figures``): days in Beijing time."""

FIGURES: list = []
