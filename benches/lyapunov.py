"""A Lyapunov stability test against the eigenvalue (QR) test, on the press bench's webs.

Issue 15 asked whether large blocks (the 32- to 128-node webs of `press.rs`, one strongly
connected component each) could be tested for stability faster by a Lyapunov criterion: A is
stable iff A^T P + P A = -I has a positive definite solution P (checked by Cholesky). This
script measures that against the eigenvalues-only QR, both through LAPACK (scipy's
`solve_continuous_lyapunov`, Bartels-Stewart, and numpy's `eigvals`), on random draws of the
same webs as `press.rs` ("predator-prey-N": the same links, magnitudes uniform(0, 1), every
species self-limited), and checks that the two give the same verdicts.

Run: python3 -m venv v && v/bin/pip install numpy scipy &&
     OPENBLAS_NUM_THREADS=1 v/bin/python benches/lyapunov.py
(one thread, CPU time per test).
"""
import time
import numpy as np
from scipy import linalg

M64 = 2**64

def lcg(seed):
    state = [seed]
    def nxt(bound):
        state[0] = (state[0] * 6364136223846793005 + 1442695040888963407) % M64
        return (state[0] >> 33) % bound
    return nxt

def web(n, rng):
    nxt = lcg(n)
    pairs = [(i - 1, i) for i in range(1, n)]
    while len(pairs) < n - 1 + n // 4:
        a, b = nxt(n), nxt(n)
        pair = (min(a, b), max(a, b))
        if a != b and pair not in pairs:
            pairs.append(pair)
    def draw():
        A = np.zeros((n, n))
        for prey, pred in pairs:
            A[pred, prey] += rng.uniform()
            A[prey, pred] -= rng.uniform()
        for i in range(n):
            A[i, i] -= rng.uniform()
        return A
    return draw

def lyapunov_stable(A):
    # A stable iff A^T P + P A = -I has a positive definite solution P.
    P = linalg.solve_continuous_lyapunov(A.T, -np.eye(len(A)))
    try:
        np.linalg.cholesky((P + P.T) / 2)
        return True
    except np.linalg.LinAlgError:
        return False

def qr_stable(A):
    return np.linalg.eigvals(A).real.max() < 0

rng = np.random.default_rng(7)
for n in (32, 64, 128):
    draw = web(n, rng)
    mats = [draw() for _ in range(200 if n < 128 else 60)]
    agree = sum(lyapunov_stable(A) == qr_stable(A) for A in mats)
    stable = sum(qr_stable(A) for A in mats)
    times = {}
    for name, f in (("qr", qr_stable), ("lyapunov", lyapunov_stable), ("qr again", qr_stable)):
        t0 = time.process_time()
        for A in mats:
            f(A)
        times[name] = (time.process_time() - t0) / len(mats)
    print(f"n={n}: {len(mats)} draws, {stable} stable, verdicts agree {agree}/{len(mats)}; "
          f"CPU per test: eigvals {times['qr']*1e6:.0f} / {times['qr again']*1e6:.0f} us, "
          f"Lyapunov+Cholesky {times['lyapunov']*1e6:.0f} us, ratio "
          f"{times['lyapunov'] / min(times['qr'], times['qr again']):.2f}")
