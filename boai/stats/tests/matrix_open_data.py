"""Permission matrix rows of the open_data area: public pages, the same for every role and for
anonymous visitors (a year without figures answers 404 to everyone alike)."""

from boai.core.tests.matrix_kit import everyone

MATRIX: list = [
    ("open-data/", "get", "/open-data/", everyone(200), 200),
    ("open-data/<int:year>.csv", "get", "/open-data/2011.csv", everyone(404), 404),
]
