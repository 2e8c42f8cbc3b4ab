// Exact ranges of linear combinations (core/linear_range.hpp) on networks whose linear layers
// are followed by sums rather than non-linear ops: a sum over a matmul's outputs (issue 21's
// pattern at width 64), residual adds through two dense layers, and average pooling after a
// linear convolution; and long sums over distinct inputs (the cost side). Prints per network the
// tracing time, adders, the estimated cost, the output widths and (with --synth) Yosys LUTs. Built
// against an older fixvar, the same source gives the "before" numbers (docs/architecture.md,
// "Linear forms").
//
//   bench_linear_forms [--synth] [--out DIR]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/fixvar.hpp>

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

// 4-bit signed weights at step 1/8, ~25% zeros (fixed seed).
FixedVariableArray weights(const Shape& shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::size_t n = 1;
    for (auto d : shape) n *= std::size_t(d);
    std::vector<double> w(n);
    for (double& v : w) v = rng() % 4 == 0 ? 0.0 : (int(rng() % 15) - 7) / 8.0;
    return constant(w, shape);
}

FixedVariableArray act(const FixedVariableArray& y) {
    return quantize(relu(y), kif{0, 4, 1}, Round::RND, Overflow::SAT);
}

// x (16) -> dense 64 -> act -> matmul 64x32 -> sum over the 32 outputs (and 8 of them).
CombLogic matmul_sum() {
    new_trace();
    FixedVariableArray x = input({16}, kif{1, 3, 2});
    FixedVariableArray h = act(dense(x, weights({16, 64}, 1)));
    FixedVariableArray z = matmul(h, weights({64, 32}, 2));
    FixedVariableArray s = sum(reshape(z, {4, 8}), 0);
    return comb_trace({x}, {sum(z), s});
}

// h (32 activations) -> r = h + dense(h) -> r + dense(r): residual adds, no activation between.
CombLogic residual() {
    new_trace();
    FixedVariableArray x = input({16}, kif{1, 3, 2});
    FixedVariableArray h = act(dense(x, weights({16, 32}, 3)));
    FixedVariableArray r = h + dense(h, weights({32, 32}, 4));
    FixedVariableArray r2 = r + dense(r, weights({32, 32}, 5));
    return comb_trace({x}, {r2});
}

// 10x10x1 -> conv 3x3 (4 filters) -> act -> conv 3x3 (4 filters, linear) -> avg_pool 2x2 ->
// dense 8.
CombLogic conv_avgpool() {
    new_trace();
    FixedVariableArray x = input({10, 10, 1}, kif{0, 3, 0});
    FixedVariableArray a = act(conv2d(x, weights({3, 3, 1, 4}, 6)));
    FixedVariableArray c = conv2d(a, weights({3, 3, 4, 4}, 7));
    FixedVariableArray p = avg_pool2d(c, {2, 2});
    return comb_trace({x}, {dense(flatten(p), weights({36, 8}, 8))});
}

// The cost side: a running sum over 4096 distinct inputs (forms grow to the budget, then the
// sum becomes an atom and grows again) and the same sum as a balanced tree.
CombLogic long_sums() {
    new_trace();
    FixedVariableArray x = input({4096}, kif{1, 3, 2});
    FixedVariable s = x.flat(0);
    for (std::int64_t j = 1; j < x.size(); ++j) s = s + x.flat(j);
    return comb_trace({x}, {FixedVariableArray(std::vector<FixedVariable>{s, sum(x).flat(0)})});
}

struct Case {
    const char* name;
    CombLogic (*build)();
};

}  // namespace

int main(int argc, char** argv) {
    bool synth = false;
    fs::path out = "linear_forms_bench";
    for (int j = 1; j < argc; ++j) {
        std::string a = argv[j];
        if (a == "--synth")
            synth = true;
        else if (a == "--out" && j + 1 < argc)
            out = argv[++j];
        else {
            std::fprintf(stderr, "usage: bench_linear_forms [--synth] [--out DIR]\n");
            return 2;
        }
    }
    const Case cases[] = {
        {"matmul_sum", matmul_sum}, {"residual", residual}, {"conv_avgpool", conv_avgpool}, {"long_sums", long_sums}};
    std::printf("%-14s %9s %7s %7s %9s %11s %6s\n", "network", "trace_ms", "nodes", "adders", "est_cost", "out_bits",
                "luts");
    for (const Case& c : cases) {
        c.build();  // warm-up: CMVM solutions are cached
        auto t0 = std::chrono::steady_clock::now();
        CombLogic l = c.build();
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        ir::GraphStats st = l.stats();
        int bits = 0;
        for (std::size_t j = 0; j < l.graph().outputs.size(); ++j) bits += l.output_range(j).width();
        long luts = -1;
        if (synth) {
            fs::path v = out / c.name / (std::string(c.name) + ".v");
            backend::write_verilog(l, v);
            std::vector<fs::path> files{v};
            luts = backend::synthesize_all(files, SynthOptions{}, 1).at(0).lut;
        }
        std::printf("%-14s %9.2f %7zu %7zu %9.0f %11d %6ld\n", c.name, ms, st.nodes, st.adders(), st.total_cost, bits,
                    luts);
    }
}
