"""Family care's published figures (``core.figures``): days in Beijing time, the family's county."""

FIGURES: list = []
