#!/usr/bin/python3
"""Writes the peer-comparison networks: HGQ-style quantized MLPs with random (seeded) weights.

Each network NAME is written to DATA/NAME/ (default DATA: bench/peer_networks/data) in the
folder format of samples/digits_mlp/data (what tools/train_digits.py exports), generalized to
any number of hidden layers the same way train_digits.py does it:

  DATA/NAME/x_test.npy            float32 (N, n_in)   random test inputs (slightly past the
                                                      input formats' ranges: SAT is exercised)
  DATA/NAME/y_test.npy            int64 (N,)          np.argmax of the exact logits (the network's
                                                      own label: labels carry no meaning here)
  DATA/NAME/NAME/                 the model (PEERS_MODEL=NAME for the peer scripts)
    input_{k,i,f}.npy             int8 (n_in,)        input port formats; the host quantizes
                                                      x to them with RND, SAT
    w{j}.npy, w{j}_f.npy          float64 / int8 (n_j, n_j+1)  hidden layer j = 0, 1, ...:
    b{j}.npy, b{j}_f.npy          float64 / int8 (n_j+1,)      dyadic weights on their grid 2^-f
    a{j}_{k,i,f}.npy              int8 (n_j+1,)       activation after layer j: relu, then
                                                      quantize kif(0, i, f), TRN, SAT
    w_out.npy, w_out_f.npy, b_out.npy, b_out_f.npy     output layer (exact logits)
    network.json                  the spec, seed and statistics (nonzero weights, bit widths)

The exact function (evaluated here in float64, every value checked to be exact):
  x -> quantize(x, input kif, RND, SAT) -> [dense -> relu -> quantize(a_j, TRN, SAT)]* -> dense
outputs: the logits and their argmax (first index of the max), as fixvar's digits_mlp.

Weights: a weight is zero with probability `sparsity` (each column keeps at least one nonzero);
otherwise its signed mantissa has a width b drawn uniformly from `wbits` (b bits: m in
[-2^(b-1), 2^(b-1)-1], m != 0) and its grid f puts its magnitude near 1/sqrt(fan-in)
(f = b - 2 + round(log2 sqrt(fan_in)) + jitter in {-1, 0, 1}). Activation integer bits are
calibrated on the test inputs (the 99th percentile of each neuron's pre-activation, so a few
values saturate); the fractional bits make every activation `abits` wide.

Usage: generate.py [--out DATA] [NAME...]     (default: every network below)
Deterministic: fixed seeds; rerunning rewrites the files byte for byte (numpy >= 1.17).
"""
import argparse
import json
import math
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent

# name: layer sizes, weight sparsity, weight mantissa widths (inclusive), activation width,
# input format (k, i, f range), number of test vectors, seed.
NETWORKS = {
    # (a) medium, 3 hidden layers, sparse, very low-bit weights, 5-bit activations
    "mlp_a": dict(layers=[24, 48, 32, 24, 8], sparsity=0.4, wbits=(1, 5), abits=5,
                  input_k=1, input_i=1, input_f=(2, 4), bbits=4, samples=256, seed=1801),
    # (b) wide and shallow, wider weights
    "mlp_b": dict(layers=[64, 64, 10], sparsity=0.2, wbits=(3, 8), abits=6,
                  input_k=0, input_i=0, input_f=(3, 6), bbits=6, samples=256, seed=1802),
    # (c) deep and narrow, 2-4-bit weights, 4-bit activations
    "mlp_c": dict(layers=[16, 16, 16, 16, 16, 4], sparsity=0.25, wbits=(2, 4), abits=4,
                  input_k=1, input_i=2, input_f=(2, 3), bbits=4, samples=256, seed=1803),
}


def check_exact(a, what):
    """Every value must be a dyadic rational far inside float64's 53 bits."""
    assert np.all(np.isfinite(a)), what
    assert np.all(np.abs(a) < 2.0 ** 40), what
    scaled = np.ldexp(a, 40)
    assert np.all(scaled == np.round(scaled)), f"{what}: not on a 2^-40 grid"


def quantize(x, k, i, f, rnd):
    """fixvar's quantize: round to 2^-f (RND: half toward +inf; TRN: toward -inf), then SAT."""
    s = np.ldexp(1.0, f.astype(np.int64))
    q = np.floor(x * s + 0.5) if rnd else np.floor(x * s)
    q = q / s
    lo = -k * np.ldexp(1.0, i.astype(np.int64))
    hi = np.ldexp(1.0, i.astype(np.int64)) - 1.0 / s
    return np.clip(q, lo, hi)


def dyadic_matrix(rng, n, m, spec, fan_in):
    bmin, bmax = spec["wbits"]
    b = rng.integers(bmin, bmax + 1, size=(n, m))
    half = np.ldexp(1.0, (b - 1).astype(np.int64)).astype(np.int64)  # 2^(b-1)
    mant = rng.integers(-half, half)  # [-2^(b-1), 2^(b-1) - 1]
    # nonzero mantissas: a zero draw becomes -2^(b-1) (the other end of the range)
    mant = np.where(mant == 0, -half, mant)
    scale = round(math.log2(math.sqrt(fan_in))) - 1  # ~2x / sqrt(fan-in): He-like for relu
    f = (b - 1 + scale + rng.integers(-1, 2, size=(n, m))).astype(np.int8)
    keep = rng.random((n, m)) >= spec["sparsity"]
    for c in range(m):  # every output keeps at least one input
        if not keep[:, c].any():
            keep[rng.integers(n), c] = True
    mant = np.where(keep, mant, 0)
    w = np.ldexp(mant.astype(np.float64), -f.astype(np.int64))
    return w, f, b * keep


def bias(rng, m, spec, f_like):
    """Small dyadic biases on the activations' grid, skewed positive (more active relus); a
    quarter are zero."""
    bb = spec["bbits"]
    mant = rng.integers(-(2 ** (bb - 2)), 2 ** (bb - 1), size=m)
    mant = np.where(rng.random(m) < 0.25, 0, mant)
    f = np.asarray(f_like, dtype=np.int8)
    return np.ldexp(mant.astype(np.float64), -f.astype(np.int64)), f


def generate(name, spec, out):
    rng = np.random.default_rng(spec["seed"])
    sizes = spec["layers"]
    n_in, n_out, hidden = sizes[0], sizes[-1], sizes[1:-1]
    p = {}
    fmin, fmax = spec["input_f"]
    p["input_k"] = np.full(n_in, spec["input_k"], dtype=np.int8)
    p["input_i"] = np.full(n_in, spec["input_i"], dtype=np.int8)
    p["input_f"] = rng.integers(fmin, fmax + 1, size=n_in).astype(np.int8)
    # test inputs: uniform over the input range widened by 1/8 on each side
    lo = -spec["input_k"] * 2.0 ** spec["input_i"]
    hi = 2.0 ** spec["input_i"]
    pad = (hi - lo) / 8
    x = rng.uniform(lo - pad, hi + pad, size=(spec["samples"], n_in)).astype(np.float32)
    h = quantize(x.astype(np.float64), p["input_k"], p["input_i"], p["input_f"], rnd=True)
    check_exact(h, "inputs")
    bits = []
    for j, m in enumerate(hidden):
        w, wf, wb = dyadic_matrix(rng, h.shape[1], m, spec, h.shape[1])
        bits.append(wb)
        # activation format: calibrate integer bits on the data (99th percentile), width abits
        pre = h @ w
        top = np.percentile(np.maximum(pre, 0), 99, axis=0)
        ai = np.array([max(-2, min(8, math.ceil(math.log2(t)) if t > 0 else 0)) for t in top], dtype=np.int8)
        af = (spec["abits"] - ai).astype(np.int8)
        b, bf = bias(rng, m, spec, af)
        pre = h @ w + b
        check_exact(pre, f"layer {j}")
        h = quantize(np.maximum(pre, 0), np.zeros(m), ai, af, rnd=False)
        p[f"w{j}"], p[f"w{j}_f"], p[f"b{j}"], p[f"b{j}_f"] = w, wf, b, bf
        p[f"a{j}_k"], p[f"a{j}_i"], p[f"a{j}_f"] = np.zeros(m, dtype=np.int8), ai, af
    w, wf, wb = dyadic_matrix(rng, h.shape[1], n_out, spec, h.shape[1])
    bits.append(wb)
    b, bf = bias(rng, n_out, spec, np.full(n_out, int(wf.max()), dtype=np.int8))
    logits = h @ w + b
    check_exact(logits, "logits")
    p["w_out"], p["w_out_f"], p["b_out"], p["b_out_f"] = w, wf, b, bf
    for key, a in p.items():  # weights sit exactly on their grids
        if key + "_f" in p and not key.startswith(("input", "a")):
            mm = np.ldexp(a, p[key + "_f"].astype(np.int64))
            assert np.all(mm == np.round(mm)), key
    y = np.argmax(logits, axis=1).astype(np.int64)

    d = out / name
    (d / name).mkdir(parents=True, exist_ok=True)
    np.save(d / "x_test.npy", x)
    np.save(d / "y_test.npy", y)
    for key, a in p.items():
        np.save(d / name / f"{key}.npy", a)
    nz = [int(np.count_nonzero(b)) for b in bits]
    allb = np.concatenate([b[b > 0] for b in bits])
    meta = {
        "name": name, "layers": sizes, "hidden": hidden, "spec": spec,
        "nonzero_weights": int(sum(nz)), "total_weights": int(sum(b.size for b in bits)),
        "nonzero_per_layer": nz,
        "weight_bits_histogram": {str(k): int(np.sum(allb == k)) for k in range(1, 9) if np.any(allb == k)},
        "activation_i": [p[f"a{j}_i"].tolist() for j in range(len(hidden))],
        "test_samples": int(spec["samples"]),
        "distinct_labels": int(len(np.unique(y))),
    }
    (d / name / "network.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"{name}: {'->'.join(map(str, sizes))}, {meta['nonzero_weights']}/{meta['total_weights']} "
          f"weights nonzero, bits {meta['weight_bits_histogram']}, {len(np.unique(y))} distinct argmax labels")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=pathlib.Path, default=HERE / "data")
    ap.add_argument("names", nargs="*", default=list(NETWORKS))
    a = ap.parse_args()
    for n in a.names:
        generate(n, NETWORKS[n], a.out)


if __name__ == "__main__":
    main()
