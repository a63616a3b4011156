MATRIX: list = []
