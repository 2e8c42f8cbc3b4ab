#!/usr/bin/env python3
"""alkaid's CMVM solutions rescored in fixvar's cost metric (issue 19).

alkaid's `total_cost` is its own per-adder estimate (`state_opr.cc: cost_add`: the overlapping and
carry bits minus one, 0 for a concatenation). fixvar charges an adder the bits from the coarser
operand's LSB to the MSB of the result's exact range (a sign bit only when the range is negative,
the cheaper of the two orientations of a difference). The two agree on the public set's totals but
not per problem, so this script solves each problem with alkaid's Python binding (the same core and
arguments as the C++ driver: `cmvm_solve(W, qintervals=true input ranges)`), checks the solution
exact (every output's linear form equals W's column), and scores every adder in fixvar's metric
(the rules of `AdderGraph::combine_cost`, src/cmvm/adder_graph.cpp).

usage: PYTHONPATH=$PEERS/pkg:$PEERS/quantizers/src python3 rescore_alkaid.py FILE.cmvm...
prints: name n_adders alkaid_total_cost fixvar_metric_cost exact seconds depth
(depth: adders on the longest input-to-output path, both stages; fixvar's default bounds its own)
"""
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from alkaid._binary import cmvm_solve


def read_cmvm(path):
    kif, rows, name = [], [], Path(path).stem
    for line in Path(path).read_text().splitlines():
        t = line.split()
        if not t:
            continue
        if t[0] == 'name':
            name = t[1]
        elif t[0] == 'in':
            kif.append(tuple(int(v) for v in t[1:4]))
        elif t[0] == 'row':
            rows.append([Fraction(v) for v in t[1:]])
    return name, kif, rows


def v2(q):
    """2-adic valuation of a non-zero dyadic rational."""
    n, d, e = q.numerator, q.denominator, 0
    while n % 2 == 0:
        n //= 2
        e += 1
    while d % 2 == 0:
        d //= 2
        e -= 1
    return e


def signed_width(lo, hi):
    """fixvar's signed_width: bits of the minimal format of the integer range [lo, hi]."""
    if lo == 0 and hi == 0:
        return 0
    n = max(hi.bit_length() if hi > 0 else 0, (-(lo + 1)).bit_length() if lo < 0 else 0)
    return n + (1 if lo < 0 else 0)


class Scorer:
    def __init__(self, kif):
        # input r = q * 2^-f, q in [-k 2^(i+f), 2^(i+f) - 1]
        self.exp = [-f for _, _, f in kif]
        self.lo = [-k * (1 << (i + f)) for k, i, f in kif]
        self.hi = [(1 << (i + f)) - 1 for _, i, f in kif]

    def lsb(self, form):
        return min(v2(c) + self.exp[r] for r, c in form.items())

    def range_at(self, form, e0):
        """Exact integer range of the form in units of 2^e0."""
        lo = hi = 0
        for r, c in form.items():
            k = c * Fraction(2) ** (self.exp[r] - e0)
            a, b = k * self.lo[r], k * self.hi[r]
            lo, hi = lo + min(a, b), hi + max(a, b)
        assert lo.denominator == 1 and hi.denominator == 1
        return int(lo), int(hi)

    def adder_cost(self, a, b, sub):
        """fixvar's bit cells of a + b (sub: a - b); a and b are forms (dicts input -> coefficient)."""
        out = dict(a)
        for r, c in b.items():
            out[r] = out.get(r, 0) + (-c if sub else c)
            if out[r] == 0:
                del out[r]
        if not out:
            return out, 0
        e0 = self.lsb(out)
        lo, hi = self.range_at(out, e0)
        w, wn = signed_width(lo, hi), signed_width(-hi, -lo)
        msb = e0 + (min(w, wn) if sub else w) - 1
        return out, max(0, msb - max(self.lsb(a), self.lsb(b)) + 1)


def shifted(form, s, neg=False):
    k = Fraction(2) ** s * (-1 if neg else 1)
    return {r: c * k for r, c in form.items()}


def rescore(path):
    name, kif, rows = read_cmvm(path)
    n, m = len(rows), len(rows[0])
    W = np.array([[float(x) for x in r] for r in rows], dtype=np.float32)
    assert all(Fraction(float(W[r, c])) == rows[r][c] for r in range(n) for c in range(m)), 'W not exact in float32'
    qints = []
    for k, i, f in kif:
        qints.append((-k * 2.0**i, 2.0**i - 2.0**-f, 2.0**-f))
    t0 = time.perf_counter()
    stages = cmvm_solve(W, qintervals=qints)
    seconds = time.perf_counter() - t0
    sc = Scorer(kif)
    inputs = [{r: Fraction(1)} for r in range(n)]
    in_depth = [0] * n
    adders, own, ours = 0, 0.0, 0
    for st in stages:
        vals, depth = [], []
        for op in st.ops:
            if op.opcode == -1:
                vals.append(shifted(inputs[op.data[0]], st.inp_shifts[op.data[0]]))
                depth.append(in_depth[op.data[0]])
            elif op.opcode in (0, 1):
                a, b = vals[op.addr[0]], shifted(vals[op.addr[1]], op.data[0])
                form, cost = sc.adder_cost(a, b, op.opcode == 1)
                vals.append(form)
                depth.append(1 + max(depth[op.addr[0]], depth[op.addr[1]]))
                adders += 1
                own += op.cost
                ours += cost
            else:
                raise SystemExit(f'{path}: unexpected opcode {op.opcode}')
        inputs = [
            shifted(vals[idx], s, neg) if idx >= 0 else {}
            for idx, s, neg in zip(st.out_idxs, st.out_shifts, st.out_negs)
        ]
        in_depth = [depth[idx] if idx >= 0 else 0 for idx in st.out_idxs]
    exact = all(inputs[c] == {r: rows[r][c] for r in range(n) if rows[r][c] != 0} for c in range(m))
    return name, adders, own, ours, exact, seconds, max(in_depth, default=0)


def main():
    print('name\tn_adders\talkaid_total_cost\tfixvar_metric_cost\texact\tseconds\tdepth')
    for path in sys.argv[1:]:
        name, adders, own, ours, exact, seconds, depth = rescore(path)
        print(f'{name}\t{adders}\t{own:.0f}\t{ours}\t{"yes" if exact else "NO"}\t{seconds:.4f}\t{depth}', flush=True)


if __name__ == '__main__':
    main()
