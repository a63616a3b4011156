from boai.core.tests.matrix_kit import only

MATRIX = [
    ("workspace/parcels/", "get", "/workspace/parcels/", only("kunming_staff", "wuhua_staff", "qilin_staff"), 302),
]
