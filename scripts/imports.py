#!/usr/bin/env python3
"""The import picture of claimsim's library: which top-level modules import which (from
`crate::` paths in src/), import cycles, imports against the layer order below, and files over
600 lines of code. Rerun after any move: `python3 scripts/imports.py` (exit status 1 when there
is a cycle, an upward import or an oversized file).

Lines of code: lines that are neither blank nor comments, not counting a file's trailing
`#[cfg(test)] mod tests` block.
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

# Lowest first: a module may import only from its own layer or lower ones.
LAYERS = [
    ["error", "diagnostic", "output"],
    ["scenario", "discover", "claims"],
    ["sample"],
    ["solve"],
    ["analysis"],
    ["pipeline", "batch"],
    ["report", "plot", "interop", "export"],
    ["serve"],
    ["cli", "commands", "main"],
]
LAYER = {module: rank for rank, names in enumerate(LAYERS) for module in names}
MAX_CODE_LINES = 600

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def top_module(path):
    parts = path.relative_to(SRC).with_suffix("").parts
    return parts[0] if parts[0] != "lib" else None


def imported_modules(text):
    """Top-level modules named by `crate::x` paths, including `use crate::{x, y::z}` groups."""
    found = set(re.findall(r"\bcrate::([a-z_][a-z0-9_]*)", text))
    found |= set(re.findall(r"\bclaimsim::([a-z_][a-z0-9_]*)", text))
    for group in re.finditer(r"\b(?:crate|claimsim)::\{", text):
        depth, start = 1, group.end()
        i = start
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        inner, depth, item = text[start : i - 1], 0, ""
        for ch in inner + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                name = re.match(r"\s*([a-z_][a-z0-9_]*)", item)
                if name:
                    found.add(name.group(1))
                item = ""
            else:
                item += ch
    return found - {"self"}


def code_lines(text):
    text = re.split(r"\n#\[cfg\(test\)\]\s*\nmod tests", text)[0]
    count, in_block = 0, False
    for line in text.splitlines():
        s = line.strip()
        if in_block:
            in_block = "*/" not in s
            continue
        if s.startswith("/*"):
            in_block = "*/" not in s
            continue
        if s and not s.startswith("//"):
            count += 1
    return count


def strongly_connected(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def main():
    edges = defaultdict(lambda: defaultdict(list))
    modules, sizes = set(), []
    for path in sorted(SRC.rglob("*.rs")):
        module = top_module(path)
        text = path.read_text()
        sizes.append((code_lines(text), path.relative_to(ROOT)))
        if module is None:
            continue
        modules.add(module)
        for target in imported_modules(text):
            is_module = (SRC / target).with_suffix(".rs").exists() or (SRC / target).is_dir()
            if target != module and is_module:
                edges[module][target].append(path.relative_to(ROOT))
    graph = {m: set(t) for m, t in edges.items()}
    edge_count = sum(len(t) for t in graph.values())
    print(f"modules: {len(modules)}   import edges (module -> module): {edge_count}")
    for m in sorted(graph):
        print(f"  {m} -> {', '.join(sorted(graph[m]))}")

    cycles = strongly_connected(graph)
    print(f"\nimport cycles: {len(cycles)}")
    for c in cycles:
        print("  " + " <-> ".join(c))

    upward = []
    for m, targets in sorted(edges.items()):
        for t, files in sorted(targets.items()):
            if m in LAYER and t in LAYER and LAYER[t] > LAYER[m]:
                upward.append((m, t, files))
            elif m not in LAYER or t not in LAYER:
                upward.append((m, t, ["(module not in the layer order)"]))
    print("\nlayer order, lowest first: " + " < ".join("/".join(l) for l in LAYERS))
    print(f"upward imports: {len(upward)}")
    for m, t, files in upward:
        print(f"  {m} -> {t}: {', '.join(sorted(set(map(str, files))))}")

    big = sorted([s for s in sizes if s[0] > MAX_CODE_LINES], reverse=True)
    print(f"\nfiles over {MAX_CODE_LINES} lines of code: {len(big)}")
    for n, p in big:
        print(f"  {n:5}  {p}")
    public = len(re.findall(r"^pub mod ", "\n".join(p.read_text() for p in SRC.rglob("*.rs")), re.M))
    print(f"\npublic modules (pub mod): {public}")
    return 1 if cycles or upward or big else 0


if __name__ == "__main__":
    sys.exit(main())
