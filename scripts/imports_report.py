"""How Boai's modules import each other: the figures the Platform issue tracks.

    python scripts/imports_report.py          # counts and the largest import circle
    python scripts/imports_report.py --list   # every import inside a function, file:line

Counted outside tests and migrations: imports inside functions, files over 600 lines, and the
strongly connected components of the module graph (a component of more than one file is a circle).
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "boai"


def modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        name = ".".join(rel.with_suffix("").parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def resolve(mod, node, is_pkg):
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        parts = mod.split(".")
        if not is_pkg:
            parts = parts[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(parts + ([base] if base else []))
    return [base] + [f"{base}.{a.name}" for a in node.names]


def main():
    mods = dict(modules())
    graph = defaultdict(set)
    inner = []
    long_files = []
    for mod, path in mods.items():
        text = path.read_text()
        if text.count("\n") > 600:
            long_files.append((text.count("\n"), str(path.relative_to(ROOT))))
        tree = ast.parse(text)
        is_pkg = path.name == "__init__.py"
        funcs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        inside = {id(n) for f in funcs for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if id(node) in inside:
                inner.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            for target in resolve(mod, node, is_pkg):
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                # A module's own packages are initialised before it whatever it imports: an edge to
                # one of them (``from . import sibling``) is no circle.
                if target and target != mod and target.startswith("boai") and not mod.startswith(target + "."):
                    graph[mod].add(target)
    # Tarjan's strongly connected components.
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    for v in list(mods):
        if v not in index:
            visit(v)
    circles = sorted((c for c in comps if len(c) > 1), key=len, reverse=True)
    print(f"imports inside functions (outside tests/migrations): {len(inner)}")
    print(f"files over 600 lines: {len(long_files)} {sorted(long_files, reverse=True)}")
    print(f"import circles: {len(circles)}; largest: {len(circles[0]) if circles else 0} files")
    for c in circles:
        print("  circle:", " ".join(sorted(c)))
    if "--list" in sys.argv:
        print("\n".join(inner))
    return 1 if circles else 0


if __name__ == "__main__":
    sys.exit(main())
