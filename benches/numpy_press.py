"""A straightforward vectorised NumPy implementation of the press method, for comparison.

Same algorithm as claimsim's press solver on the lake food web (benches/data/lake.toml):
draw link magnitudes U(0,1) and self-damping -U(0,1) for a batch of draws, keep the draws whose
eigenvalues all have negative real parts (batched np.linalg.eigvals), solve W x = -s for both
press vectors (batched np.linalg.solve) and tally signs. Prints draws per second.

Run: python3 benches/numpy_press.py   (needs numpy; not part of the test suite)
"""

import re
import sys
import time

import numpy as np


def read_lake(path):
    text = open(path, encoding="utf-8").read()
    network = text.split('network = """', 1)[1].split('"""', 1)[0]
    links = []
    for line in network.splitlines():
        m = re.match(r"\s*(.+?) (->|-\|) (.+?)\s*$", line.split("#")[0])
        if m:
            links.append((m.group(1), m.group(2), m.group(3)))
    nodes = []
    for a, _, b in links:
        for x in (a, b):
            if x not in nodes:
                nodes.append(x)
    return nodes, links


def run(nodes, links, presses, draws, batch, rng):
    n = len(nodes)
    index = {name: i for i, name in enumerate(nodes)}
    rows = np.array([index[b] for _, _, b in links])
    cols = np.array([index[a] for a, _, _ in links])
    signs = np.array([1.0 if arrow == "->" else -1.0 for _, arrow, _ in links])
    s = np.zeros((n, len(presses)))
    for k, name in enumerate(presses):
        s[index[name], k] = 1.0
    up = np.zeros((n, len(presses)))
    stable_total = 0
    diag = np.arange(n)
    for start in range(0, draws, batch):
        b = min(batch, draws - start)
        w = np.zeros((b, n, n))
        w[:, rows, cols] = signs * rng.random((b, len(links)))
        w[:, diag, diag] = -rng.random((b, n))
        stable = np.linalg.eigvals(w).real.max(axis=1) < 0
        ws = w[stable]
        x = np.linalg.solve(ws, -np.broadcast_to(s, (len(ws), n, len(presses))))
        up += (x > 0).sum(axis=0)
        stable_total += int(stable.sum())
    return stable_total, up


def main():
    nodes, links = read_lake("benches/data/lake.toml")
    rng = np.random.default_rng(7)
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    run(nodes, links, ["nutrients", "piscivores"], 10_000, 10_000, rng)  # warm-up
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        stable, _ = run(nodes, links, ["nutrients", "piscivores"], draws, 10_000, rng)
        rate = draws / (time.perf_counter() - t0)
        best = max(best, rate)
    print(f"{len(nodes)} nodes, {len(links)} links: {best:,.0f} draws/s (best of 3), "
          f"stable fraction {stable / draws:.3f}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
