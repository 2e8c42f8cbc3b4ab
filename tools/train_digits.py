#!/usr/bin/python3
"""Trains the digits samples' networks and exports them for the C++ samples.

Quantization-aware training in the HGQ spirit, on the 8x8 handwritten digits that ship with
scikit-learn (no network access needed):
  - every weight and bias has its own learned number of fractional bits f (a real parameter,
    rounded in the forward pass); the quantization error's surrogate gradient -ln2 * error
    drives f up where precision matters,
  - a resource penalty beta * EBOPs (sum over products of input bits x weight bits, as HGQ
    counts it) + gamma * (sum of weight bits) drives f down; a weight whose f is too small for
    it rounds to 0 (pruned). The gamma term (HGQ's L1 on bit widths) prunes weights without
    first starving the activations, which EBOPs alone tends to do,
  - every input pixel and every hidden neuron has a learned f; the integer bits of the hidden
    activations are calibrated (maximum over the training set), ReLU + saturation fused.

The exported model is the exact fixed-point function the C++ samples trace:
  input   x in [0, 1] (pixel / 16), per-pixel quantize kif(0, 0, f)  RND, SAT
  dense   exact sum of (dyadic weight x input) + dyadic bias
  act     relu then per-neuron quantize kif(0, i, f)                 TRN, SAT
  (cnn)   conv2d 3x3 valid -> act -> max pool 2x2 -> dense
  output  exact logits, argmax (ties: the lower index, as numpy and fixvar's argmax)
`exact_forward` evaluates it in numpy (float64, every value a dyadic rational well inside 53
bits, checked); its accuracy on the test split is written to metrics.json next to the
weights, together with the training framework's (torch, fake-quantized) and the float
baseline's accuracy.

Usage (Debian 12: apt-get install python3-torch python3-sklearn python3-numpy):
    /usr/bin/python3 tools/train_digits.py            # rewrites samples/digits_*/data/
    /usr/bin/python3 tools/train_digits.py --only cnn # one sample's models
    /usr/bin/python3 tools/train_digits.py --betas 1e-5 3e-5   # try strengths, export nothing
Deterministic: fixed seeds, fixed train/test split, one thread; rerunning it rewrites the
committed files byte for byte (about 5 CPU minutes).
"""
import argparse
import json
import math
import pathlib

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 20261204
# Resource-penalty strengths of the Pareto sweep: loss = CE + beta * EBOPs + GAMMA_PER_BETA *
# beta * (sum of weight bits). digits_mlp's sample model is beta_1e-5.
BETAS = [("beta_1e-6", 1e-6), ("beta_3e-6", 3e-6), ("beta_1e-5", 1e-5), ("beta_3e-5", 3e-5)]
GAMMA_PER_BETA = 100
ROOT = pathlib.Path(__file__).resolve().parent.parent
LN2 = math.log(2.0)


# ---- quantizers (training): value exact, gradients by straight-through / HGQ surrogate -----

def rnd(x):
    """Round half toward +inf (fixvar's Round::RND; torch.round would round half to even)."""
    return torch.floor(x + 0.5)


def fake_quantize(x, f_param, rounding, lo=None, hi_int_bits=None):
    """x rounded to step 2^-f (f = round(f_param)), then saturated into [lo, 2^i - 2^-f].

    Forward: the exact quantized value. Backward: d/dx = 1 inside the range (straight
    through), d/df = -ln2 * (quantized - x) (the HGQ surrogate: the error scales as 2^-f)."""
    f = torch.floor(f_param + 0.5).detach()
    step = torch.exp2(-f)
    q = rounding(x / step) * step
    err = (q - x).detach()
    y = x + err * torch.exp2(f_param.detach() - f_param)  # value q; dq/df = -ln2 * err
    if hi_int_bits is not None:
        hi = torch.exp2(hi_int_bits) - step
        y = torch.minimum(torch.maximum(y, lo * torch.ones_like(y)), hi)
    return y


class QInput(torch.nn.Module):
    """Per-element input quantizer kif(0, 0, f): x in [0, 1], RND, SAT."""

    def __init__(self, shape, f0=4.0, f_range=(1, 6)):
        super().__init__()
        self.f = torch.nn.Parameter(torch.full(shape, f0))
        self.f_range = f_range

    def frac_bits(self):
        return torch.floor(self.f.clamp(*self.f_range) + 0.5).detach()

    def forward(self, x):
        self.f.data.clamp_(*self.f_range)
        return fake_quantize(x, self.f, rnd, lo=0.0, hi_int_bits=torch.zeros_like(self.f))

    def bits(self):
        """Bit widths (0 + 0 + f), differentiable in f."""
        return self.f + (torch.floor(self.f + 0.5) - self.f).detach()


class QAct(torch.nn.Module):
    """ReLU fused with a per-channel quantizer kif(0, i, f): TRN, SAT; i calibrated."""

    def __init__(self, channels, f0=3.0, f_range=(-2, 8)):
        super().__init__()
        self.f = torch.nn.Parameter(torch.full((channels,), f0))
        self.f_range = f_range
        self.register_buffer("int_bits", torch.full((channels,), 4.0))
        self.calibrating = False
        self.observed_max = None

    def frac_bits(self):
        return torch.floor(self.f.clamp(*self.f_range) + 0.5).detach()

    def forward(self, x):  # x: (..., channels) channels-last
        self.f.data.clamp_(*self.f_range)
        a = F.relu(x)
        if self.training or self.calibrating:
            m = a.detach().reshape(-1, a.shape[-1]).amax(0)
            self.observed_max = m if self.observed_max is None else torch.maximum(self.observed_max, m)
        if self.training:  # integer bits while training: cover what the batch shows
            self.int_bits = min_int_bits(m, self.frac_bits())
        return fake_quantize(a, self.f, torch.floor, lo=0.0, hi_int_bits=self.int_bits)

    def calibrate(self):
        """Integer bits: the smallest i whose range 2^i - 2^-f holds the observed maximum."""
        self.int_bits = min_int_bits(self.observed_max, self.frac_bits())

    def bits(self):
        f = self.f + (torch.floor(self.f + 0.5) - self.f).detach()
        return torch.clamp(self.int_bits + f, min=1.0)


def min_int_bits(max_value, f):
    step = torch.exp2(-f)
    # max <= 2^i - 2^-f  <=>  i >= log2(max + 2^-f); width i + f >= 1
    i = torch.ceil(torch.log2(max_value + step))
    return torch.maximum(i, 1 - f)


class QWeights(torch.nn.Module):
    """A weight tensor with one learned fractional-bit count per element (RND; pruned when 0)."""

    def __init__(self, init, f0=5.0, f_range=(-4, 10)):
        super().__init__()
        self.w = torch.nn.Parameter(init)
        self.f = torch.nn.Parameter(torch.full(init.shape, f0))
        self.f_range = f_range

    def frac_bits(self):
        return torch.floor(self.f.clamp(*self.f_range) + 0.5).detach()

    def forward(self):
        self.f.data.clamp_(*self.f_range)
        return fake_quantize(self.w, self.f, rnd)

    def bits(self, wq):
        """Signed bits of each quantized weight (0 when pruned), differentiable in f."""
        f = self.f + (torch.floor(self.f + 0.5) - self.f).detach()
        mag = torch.log2(wq.detach().abs().clamp(min=1e-12)).floor() + 1
        bits = mag + f + 1
        bits = bits + (bits.clamp(min=1.0) - bits).detach()  # >= 1 bit, yet still pushed to 0
        return torch.where(wq.detach() != 0, bits, torch.zeros_like(f))


class QDense(torch.nn.Module):
    def __init__(self, n_in, n_out, gen):
        super().__init__()
        bound = 1 / math.sqrt(n_in)
        self.kernel = QWeights((torch.rand(n_in, n_out, generator=gen) * 2 - 1) * bound)
        self.bias = QWeights(torch.zeros(n_out))

    def forward(self, x, in_bits):
        w, b = self.kernel(), self.bias()
        ebops = (in_bits.reshape(-1, 1) * self.kernel.bits(w)).sum() + self.bias.bits(b).sum()
        return x @ w + b, ebops


class QConv2d(torch.nn.Module):
    """3x3 valid conv, channels-last, kernel (KH, KW, C, F) as fixvar's conv2d takes it."""

    def __init__(self, c_in, c_out, k, gen):
        super().__init__()
        bound = 1 / math.sqrt(c_in * k * k)
        self.kernel = QWeights((torch.rand(k, k, c_in, c_out, generator=gen) * 2 - 1) * bound)
        self.bias = QWeights(torch.zeros(c_out))

    def forward(self, x, in_bits):  # x (N, H, W, C), in_bits (H, W, C)
        w, b = self.kernel(), self.bias()
        w_nchw = w.permute(3, 2, 0, 1)
        y = F.conv2d(x.permute(0, 3, 1, 2), w_nchw).permute(0, 2, 3, 1) + b
        # EBOPs: each output position sums input bits x weight bits over its window.
        wb = self.kernel.bits(w).permute(3, 2, 0, 1)
        ebops = F.conv2d(in_bits.permute(2, 0, 1)[None], wb).sum() + self.bias.bits(b).sum() * y.shape[1] * y.shape[2]
        return y, ebops


class DigitsMLP(torch.nn.Module):
    def __init__(self, hidden, gen):
        super().__init__()
        self.inp = QInput((64,))
        sizes = [64] + hidden
        self.dense = torch.nn.ModuleList(QDense(a, b, gen) for a, b in zip(sizes, sizes[1:]))
        self.act = torch.nn.ModuleList(QAct(n) for n in hidden)
        self.out = QDense(sizes[-1], 10, gen)

    def forward(self, x):
        h = self.inp(x)
        bits = self.inp.bits()
        total = 0.0
        for dense, act in zip(self.dense, self.act):
            h, e = dense(h, bits)
            h = act(h)
            bits = act.bits()
            total = total + e
        logits, e = self.out(h, bits)
        return logits, total + e

    def quantized_layers(self):
        return list(self.dense) + [self.out]


class DigitsCNN(torch.nn.Module):
    def __init__(self, filters, gen):
        super().__init__()
        self.inp = QInput((8, 8, 1))
        self.conv = QConv2d(1, filters, 3, gen)
        self.act = QAct(filters)
        self.out = QDense(3 * 3 * filters, 10, gen)

    def forward(self, x):
        x = x.reshape(-1, 8, 8, 1)
        h = self.inp(x)
        h, e1 = self.conv(h, self.inp.bits())
        h = F.max_pool2d(h.permute(0, 3, 1, 2), 2).permute(0, 2, 3, 1)  # pool, then quantize:
        h = self.act(h)  # the same function (quantize is monotone) with 4x fewer quantizers
        bits = self.act.bits().expand(3, 3, -1).reshape(-1)
        logits, e2 = self.out(h.reshape(h.shape[0], -1), bits)
        return logits, e1 + e2


# ---- training ------------------------------------------------------------------------------

def weight_bits(model):
    """Sum of all weights' bits (HGQ's gamma term): prunes weights without starving activations."""
    return sum(m.bits(m()).sum() for m in model.modules() if isinstance(m, QWeights))


def train(model, x, y, beta, epochs, lr=3e-3, batch=64, seed=SEED, gamma=0.0):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    for epoch in range(epochs):
        model.train()
        ramp = min(1.0, epoch / (0.3 * epochs))  # the resource penalty grows in (HGQ's beta schedule)
        perm = torch.randperm(len(x), generator=gen)
        for s in range(0, len(x), batch):
            idx = perm[s:s + batch]
            logits, ebops = model(x[idx])
            loss = F.cross_entropy(logits, y[idx]) + ramp * (beta * ebops + gamma * weight_bits(model))
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
    return model


def calibrate(model, x):
    """Integer bits of every activation from the training set, layer by layer (one pass each,
    since a layer's saturation changes what the next one sees)."""
    acts = [m for m in model.modules() if isinstance(m, QAct)]
    model.eval()
    for act in acts:
        act.calibrating, act.observed_max = True, None
        with torch.no_grad():
            model(x)
        act.calibrating = False
        act.calibrate()


def accuracy(logits, y):
    return float((np.argmax(logits, axis=1) == y).mean())


class FloatMLP(torch.nn.Module):
    """The float reference: same shape, no quantization."""

    def __init__(self, sizes):
        super().__init__()
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))

    def forward(self, x):
        for j, layer in enumerate(self.layers):
            x = layer(x)
            if j + 1 < len(self.layers):
                x = F.relu(x)
        return x, 0.0


class FloatCNN(torch.nn.Module):
    """The CNN's float reference: conv 3x3 -> ReLU -> max pool 2x2 -> dense, no quantization."""

    def __init__(self, filters):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, filters, 3)
        self.dense = torch.nn.Linear(9 * filters, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv(x.reshape(-1, 1, 8, 8))), 2)
        return self.dense(h.permute(0, 2, 3, 1).reshape(x.shape[0], -1)), 0.0


# ---- exact fixed-point reference (the C++ circuit) ------------------------------------------

def q_exact(x, i, f, rounding):
    """quantize(x, kif(0, i, f), rounding, SAT) on float64 arrays (exact for dyadic x)."""
    scaled = np.ldexp(x, f.astype(np.int64))
    m = np.floor(scaled + 0.5) if rounding == "RND" else np.floor(scaled)
    m = np.clip(m, 0, np.ldexp(1.0, (i + f).astype(np.int64)) - 1)
    return np.ldexp(m, -f.astype(np.int64))


def check_dyadic(a, max_bits=50):
    """Every value is exact in float64 (its mantissa fits well inside 53 bits)."""
    nz = a[a != 0]
    if nz.size:
        _, e = np.frexp(nz)
        frac = np.ldexp(nz, max_bits - e)
        assert np.all(frac == np.round(frac)), "a value needs more than 50 significant bits"


def exact_dense(x, w, b):
    y = x @ w + b
    check_dyadic(y)
    return y


def exact_conv(x, k, b):  # x (N, 8, 8, C), k (3, 3, C, F): valid conv via im2col
    n, h, w_, c = x.shape
    kh, kw, _, nf = k.shape
    oh, ow = h - kh + 1, w_ - kw + 1
    patches = np.stack([x[:, r:r + kh, s:s + kw, :].reshape(n, -1)
                        for r in range(oh) for s in range(ow)], axis=1)  # (N, oh*ow, kh*kw*C)
    y = patches @ k.reshape(-1, nf) + b
    check_dyadic(y)
    return y.reshape(n, oh, ow, nf)


def exact_forward(params, x):
    """params as exported; x float (N, 64). Returns exact logits (N, 10)."""
    h = q_exact(x.astype(np.float64), np.zeros(64), params["input_f"].reshape(-1), "RND")
    if params["kind"] == "mlp":
        for j in range(len(params["hidden"])):
            h = exact_dense(h, params[f"w{j}"], params[f"b{j}"])
            h = q_exact(h, params[f"a{j}_i"], params[f"a{j}_f"], "TRN")
        return exact_dense(h, params["w_out"], params["b_out"])
    h = exact_conv(h.reshape(-1, 8, 8, 1), params["w0"], params["b0"])
    n, oh, ow, nf = h.shape
    h = h.reshape(n, oh // 2, 2, ow // 2, 2, nf).max(axis=(2, 4))
    h = q_exact(h, params["a0_i"], params["a0_f"], "TRN")
    return exact_dense(h.reshape(n, -1), params["w_out"], params["b_out"])


def export_params(model, kind):
    # Formats as arrays of k, i and f (fixvar's format_array): inputs kif(0, 0, f), activations
    # kif(0, i, f) (after ReLU: unsigned).
    input_f = model.inp.frac_bits().numpy().astype(np.int8)
    p = {"kind": kind, "input_k": np.zeros_like(input_f), "input_i": np.zeros_like(input_f),
         "input_f": input_f}
    convs = [model.conv] if kind == "cnn" else list(model.dense)
    acts = list(model.act) if kind == "mlp" else [model.act]
    if kind == "mlp":
        p["hidden"] = [len(a.f) for a in acts]
    for j, (layer, act) in enumerate(zip(convs, acts)):
        with torch.no_grad():
            p[f"w{j}"] = layer.kernel().numpy().astype(np.float64)
            p[f"b{j}"] = layer.bias().numpy().astype(np.float64)
        p[f"w{j}_f"] = layer.kernel.frac_bits().numpy().astype(np.int8)
        p[f"b{j}_f"] = layer.bias.frac_bits().numpy().astype(np.int8)
        p[f"a{j}_k"] = np.zeros(len(act.f), dtype=np.int8)
        p[f"a{j}_i"] = act.int_bits.numpy().astype(np.int8)
        p[f"a{j}_f"] = act.frac_bits().numpy().astype(np.int8)
    with torch.no_grad():
        p["w_out"] = model.out.kernel().numpy().astype(np.float64)
        p["b_out"] = model.out.bias().numpy().astype(np.float64)
    p["w_out_f"] = model.out.kernel.frac_bits().numpy().astype(np.int8)
    p["b_out_f"] = model.out.bias.frac_bits().numpy().astype(np.int8)
    for name, a in p.items():  # weights sit exactly on their grids 2^-f
        if name + "_f" in p:
            m = np.ldexp(a, p[name + "_f"].astype(np.int64))
            assert np.all(m == np.round(m)), name
    return p


def save_model(directory, params, metrics):
    directory.mkdir(parents=True, exist_ok=True)
    for name, a in params.items():
        if isinstance(a, np.ndarray):
            np.save(directory / f"{name}.npy", a)
    (directory / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")


def run(kind, arch, beta, epochs, data, name, gamma=0.0):
    x_train, y_train, x_test, y_test = data
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = DigitsMLP(arch, gen) if kind == "mlp" else DigitsCNN(arch[0], gen)
    train(model, x_train, y_train, beta, epochs, gamma=gamma)
    calibrate(model, x_train)
    model.eval()
    with torch.no_grad():
        logits, ebops = model(x_test)
    framework = accuracy(logits.numpy(), y_test.numpy())
    params = export_params(model, kind)
    fixed = accuracy(exact_forward(params, x_test.numpy()), y_test.numpy())
    weights = [params[k] for k in params if k.startswith("w") and not k.endswith("_f")]
    nonzero = int(sum((w != 0).sum() for w in weights))
    total = int(sum(w.size for w in weights))
    print(f"{name}: beta={beta:g} framework={framework:.4f} fixed={fixed:.4f} "
          f"ebops={float(ebops):.0f} nonzero weights {nonzero}/{total}", flush=True)
    return params, {"name": name, "kind": kind, "architecture": arch, "beta": beta,
                    "gamma": gamma, "epochs": epochs, "seed": SEED, "test_samples": int(len(y_test)),
                    "accuracy_framework": framework, "accuracy_fixed_reference": fixed,
                    "ebops": round(float(ebops)), "nonzero_weights": nonzero,
                    "total_weights": total}


def float_reference(model, data, epochs):
    x_train, y_train, x_test, y_test = data
    torch.manual_seed(SEED)
    train(model, x_train, y_train, 0.0, epochs)
    model.eval()
    with torch.no_grad():
        acc = accuracy(model(x_test)[0].numpy(), y_test.numpy())
    print(f"float reference {type(model).__name__}: accuracy={acc:.4f}", flush=True)
    return acc


def float_mlp_arrays(model):
    """The float MLP's weights (n_in x n_out) and biases, for the C++ sample's float accuracy."""
    arrays = {}
    for j, layer in enumerate(model.layers):
        arrays[f"float_w{j}"] = layer.weight.detach().numpy().T.astype(np.float32).copy()
        arrays[f"float_b{j}"] = layer.bias.detach().numpy().astype(np.float32)
    return arrays


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--only", choices=["mlp", "cnn"], help="train one sample's models")
    parser.add_argument("--betas", type=float, nargs="*", help="experiment: train these betas only, export nothing")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)  # pixels 0..16 -> [0, 1], exact in float32
    x_train, x_test, y_train, y_test = train_test_split(
        x, digits.target, test_size=0.25, random_state=0, stratify=digits.target)
    data = (torch.tensor(x_train), torch.tensor(y_train), torch.tensor(x_test), torch.tensor(y_test))

    mlp_dir = ROOT / "samples" / "digits_mlp" / "data"
    mlp_dir.mkdir(parents=True, exist_ok=True)
    np.save(mlp_dir / "x_test.npy", x_test)
    np.save(mlp_dir / "y_test.npy", y_test.astype(np.int64))

    hidden = [16]
    if args.betas:
        for beta in args.betas:
            run("mlp", hidden, beta, args.epochs, data, f"beta {beta:g}", GAMMA_PER_BETA * beta)
        return
    if args.only != "cnn":
        torch.manual_seed(SEED)
        float_model = FloatMLP([64] + hidden + [10])
        float_acc = float_reference(float_model, data, args.epochs)
        float_layers = float_mlp_arrays(float_model)
        # The Pareto sweep: the same network at four resource-penalty strengths; the sample
        # model (digits_mlp) is the second.
        for name, beta in BETAS:
            params, metrics = run("mlp", hidden, beta, args.epochs, data, name, GAMMA_PER_BETA * beta)
            metrics["accuracy_float"] = float_acc
            save_model(mlp_dir / name, params, metrics)
        for name, a in float_layers.items():
            np.save(mlp_dir / f"{name}.npy", a)
    if args.only != "mlp":
        torch.manual_seed(SEED)
        float_acc = float_reference(FloatCNN(4), data, args.epochs)
        params, metrics = run("cnn", [4], 3e-6, args.epochs, data, "digits_cnn", GAMMA_PER_BETA * 3e-6)
        metrics["accuracy_float"] = float_acc
        save_model(ROOT / "samples" / "digits_cnn" / "data", params, metrics)


if __name__ == "__main__":
    main()
