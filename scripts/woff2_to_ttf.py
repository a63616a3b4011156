"""Convert the vendored WOFF2 fonts to TTF once, at vendoring time: WeasyPrint subsets a TTF in
0.1 s but spends seconds decompressing a CJK WOFF2 on every PDF."""

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

for path in map(Path, sys.argv[1:]):
    font = TTFont(path)
    font.flavor = None
    target = path.with_suffix(".ttf")
    font.save(target)
    path.unlink()
    print(f"{path.name} -> {target.name}")
