"""Draw the layers of pyproject.toml's import-linter contract into docs/architecture.md, between the
``<!-- layers:begin -->`` and ``<!-- layers:end -->`` markers (``make docs``). ``--check`` exits 1
when the page is out of date (a test runs it)."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- layers:begin -->", "<!-- layers:end -->"


def layers() -> list[tuple[list[str], list[str], bool]]:
    """(present apps, planned apps, independent?) per layer, highest first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    out = []
    for layer in contract["layers"]:
        independent = "|" in layer
        names = [n.strip() for n in re.split(r"[|:]", layer)]
        present = [n for n in names if not n.startswith("(")]
        planned = [n.strip("()") for n in names if n.startswith("(")]
        out.append((present, planned, independent))
    return out


def render() -> str:
    rows = layers()
    lines = [
        BEGIN,
        "<!-- generated from pyproject.toml [tool.importlinter] by `make docs`; a test fails when stale -->",
        "",
        "```mermaid",
        "flowchart TB",
    ]
    for i, (present, planned, _independent) in enumerate(rows):
        label = " · ".join(present + [f"({p})" for p in planned])
        lines.append(f'    L{i}["{label}"]')
    lines += [f"    L{i} --> L{i + 1}" for i in range(len(rows) - 1)]
    lines += [
        "```",
        "",
        "| layer, highest first | apps | planned apps (already placed) | siblings |",
        "| --- | --- | --- | --- |",
    ]
    for i, (present, planned, independent) in enumerate(rows):
        alone = len(present) + len(planned) == 1
        siblings = "—" if alone else ("independent" if independent else "may use each other")
        lines.append(f"| {i + 1} | {', '.join(f'`{p}`' for p in present)} | {', '.join(planned) or '—'} | {siblings} |")
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + render() + text[end:]
    if "--check" in sys.argv:
        if updated != text:
            print("docs/architecture.md: the layer picture is out of date; run `make docs`")
            return 1
        return 0
    DOC.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
