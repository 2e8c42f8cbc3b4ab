#!/usr/bin/env python3
"""Generate fresh CMVM problems (never the public bench/data set) for fixvar vs alkaid.

usage: generate.py [--seed S] [--out DIR] [--list] [--only SUBSTR]

Every problem in PROBLEMS below is generated from numpy's PCG64 seeded with
(S, index of the problem in the table), so the files depend only on S and the table.
File names carry the seed: fresh_<family>_<n>x<m>_<params>_s<S>.cmvm.

Families (see README.md):
  uniform  integer weights uniform in the signed range of b bits [-2^(b-1), 2^(b-1)-1]
  sparse   the same, then a fraction p of the weights set to zero
  hgq      HGQ-like: per-weight bit widths (0 = pruned), per-output integer bits, so
           per-weight fractional bits differ; heterogeneous input formats
  gauss    rounded Gaussian weights scaled so 3 sigma reaches the b-bit range, clipped
Inputs: 'int8' = every input `in 1 7 0`; 'hetero' = per-input (k, i, f) drawn at random.
"""
import argparse
import os
import sys
from fractions import Fraction

import numpy as np

DEFAULT_SEED = 7919  # the default seed; the public set's problems are not generated from it

# (family, n, m, params). params: b = weight bits, p = zero fraction, inp = int8|hetero
PROBLEMS = [
    # uniform (12)
    ("uniform", 8, 8, dict(b=2, inp="int8")),
    ("uniform", 8, 8, dict(b=8, inp="int8")),
    ("uniform", 16, 16, dict(b=3, inp="hetero")),
    ("uniform", 16, 16, dict(b=6, inp="int8")),
    ("uniform", 16, 64, dict(b=4, inp="int8")),
    ("uniform", 64, 16, dict(b=8, inp="hetero")),
    ("uniform", 32, 32, dict(b=5, inp="int8")),
    ("uniform", 32, 32, dict(b=7, inp="hetero")),
    ("uniform", 48, 48, dict(b=3, inp="int8")),
    ("uniform", 64, 64, dict(b=6, inp="int8")),
    ("uniform", 96, 32, dict(b=8, inp="int8")),
    ("uniform", 128, 128, dict(b=4, inp="int8")),
    # sparse (9)
    ("sparse", 8, 8, dict(b=8, p=0.5, inp="int8")),
    ("sparse", 16, 16, dict(b=4, p=0.3, inp="int8")),
    ("sparse", 16, 64, dict(b=6, p=0.6, inp="int8")),
    ("sparse", 64, 16, dict(b=5, p=0.7, inp="hetero")),
    ("sparse", 32, 32, dict(b=8, p=0.8, inp="int8")),
    ("sparse", 48, 24, dict(b=6, p=0.5, inp="hetero")),
    ("sparse", 64, 64, dict(b=8, p=0.4, inp="int8")),
    ("sparse", 96, 32, dict(b=4, p=0.6, inp="hetero")),
    ("sparse", 128, 128, dict(b=8, p=0.8, inp="int8")),
    # hgq (8)
    ("hgq", 8, 8, dict(inp="hetero")),
    ("hgq", 16, 16, dict(inp="hetero")),
    ("hgq", 16, 64, dict(inp="hetero")),
    ("hgq", 64, 16, dict(inp="hetero")),
    ("hgq", 32, 32, dict(inp="hetero")),
    ("hgq", 96, 32, dict(inp="hetero")),
    ("hgq", 64, 64, dict(inp="hetero")),
    ("hgq", 128, 128, dict(inp="hetero")),
    # gauss (9)
    ("gauss", 8, 8, dict(b=4, inp="int8")),
    ("gauss", 16, 16, dict(b=8, inp="int8")),
    ("gauss", 24, 40, dict(b=6, inp="hetero")),
    ("gauss", 32, 32, dict(b=3, inp="int8")),
    ("gauss", 64, 16, dict(b=6, inp="hetero")),
    ("gauss", 16, 64, dict(b=8, inp="int8")),
    ("gauss", 64, 64, dict(b=5, inp="int8")),
    ("gauss", 96, 32, dict(b=6, inp="int8")),
    ("gauss", 128, 96, dict(b=4, inp="int8")),
]


def dyadic_str(num: int, fbits: int) -> str:
    """Exact decimal text of num * 2^-fbits."""
    fr = Fraction(int(num), 1 << fbits) if fbits >= 0 else Fraction(int(num) << -fbits)
    if fr.denominator == 1:
        return str(fr.numerator)
    d = fr.denominator
    e = d.bit_length() - 1
    assert d == 1 << e
    sign = "-" if fr < 0 else ""
    digits = str(abs(fr.numerator) * 5**e).rjust(e + 1, "0")
    txt = digits[:-e] + "." + digits[-e:]
    txt = txt.rstrip("0").rstrip(".")
    assert Fraction(txt) == abs(fr)
    return sign + txt


def input_formats(rng, n, inp):
    if inp == "int8":
        return [(1, 7, 0)] * n
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 2))
        i = int(rng.integers(0, 7))   # 0..6 integer bits
        f = int(rng.integers(0, 5))   # 0..4 fractional bits
        if k + i + f < 1:
            f = 1
        out.append((k, i, f))
    return out


def uniform_int(rng, n, m, b):
    lo, hi = -(1 << (b - 1)), (1 << (b - 1)) - 1
    return rng.integers(lo, hi + 1, size=(n, m)), 0


def gen_weights(rng, fam, n, m, pr):
    """Returns (integer mantissas W (n x m), fractional bits F (n x m))."""
    if fam == "uniform":
        w, _ = uniform_int(rng, n, m, pr["b"])
        return w, np.zeros((n, m), dtype=int)
    if fam == "sparse":
        w, _ = uniform_int(rng, n, m, pr["b"])
        zero = rng.random((n, m)) < pr["p"]
        w[zero] = 0
        return w, np.zeros((n, m), dtype=int)
    if fam == "gauss":
        b = pr["b"]
        hi = (1 << (b - 1)) - 1
        sigma = max(hi, 1) / 3.0
        w = np.rint(rng.normal(0.0, sigma, size=(n, m))).astype(np.int64)
        w = np.clip(w, -(1 << (b - 1)), hi)
        return w, np.zeros((n, m), dtype=int)
    if fam == "hgq":
        # per-output integer bits (range of the column), per-weight total bits (0 = pruned)
        col_i = rng.integers(-1, 4, size=m)                # weights up to about 2^col_i
        bw = rng.choice([0, 0, 0, 1, 2, 2, 3, 3, 4, 5, 6], size=(n, m))
        f = bw - 1 - col_i[None, :]                         # per-weight fractional bits (may be < 0)
        raw = rng.laplace(0.0, 1.0, size=(n, m)) * np.exp2(col_i[None, :] - 1.0)
        mant = np.rint(raw * np.exp2(f)).astype(np.int64)
        lim = np.left_shift(1, np.maximum(bw - 1, 0))
        mant = np.clip(mant, -lim, lim - 1)
        mant[bw == 0] = 0
        return mant, f
    raise ValueError(fam)


def problem_name(fam, n, m, pr, seed):
    parts = [f"fresh_{fam}", f"{n}x{m}"]
    if "b" in pr:
        parts.append(f"b{pr['b']}")
    if "p" in pr:
        parts.append(f"z{int(round(pr['p'] * 100))}")
    parts.append(pr["inp"])
    parts.append(f"s{seed}")
    return "_".join(parts)


def write_problem(path, name, fmts, W, F):
    n, m = W.shape
    lines = ["cmvm 1", f"name {name}", f"shape {n} {m}"]
    lines += [f"in {k} {i} {f}" for (k, i, f) in fmts]
    for r in range(n):
        lines.append("row " + " ".join(dyadic_str(W[r, c], int(F[r, c])) for c in range(m)))
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", default="cmvm_fresh_work")
    ap.add_argument("--only", default="", help="generate only problems whose name contains this")
    ap.add_argument("--list", action="store_true", help="print name and family, write nothing")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True) if not a.list else None
    count = 0
    for idx, (fam, n, m, pr) in enumerate(PROBLEMS):
        name = problem_name(fam, n, m, pr, a.seed)
        if a.only and a.only not in name:
            continue
        count += 1
        if a.list:
            print(f"{name}\t{fam}\t{n}\t{m}")
            continue
        rng = np.random.default_rng([a.seed, idx])
        fmts = input_formats(rng, n, pr["inp"])
        W, F = gen_weights(rng, fam, n, m, pr)
        if not np.any(W):
            W[0, 0] = 1  # never an all-zero problem
        write_problem(os.path.join(a.out, name + ".cmvm"), name, fmts, W, F)
    print(f"{count} problems (seed {a.seed})" + ("" if a.list else f" in {a.out}"), file=sys.stderr)


if __name__ == "__main__":
    main()
