// End to end: layers traced through the CMVM optimizer (which narrows adder ranges to the exact
// ranges of their linear forms) are exact in the interpreter against plain arithmetic, and the
// RTL built from them is bit-exact against the interpreter, combinational and pipelined.
#include <random>

#include <fixvar/cmvm/solve.hpp>
#include <fixvar/fixvar.hpp>
#include <fixvar/trace/linear.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;

namespace {

// A random dense layer y = relu(x @ W) (or without relu) with dyadic weights of `bits` bits.
struct Layer {
    CombLogic logic;
    std::vector<std::vector<double>> W;
    bool relu = false;
};

Layer make_layer(std::mt19937& rng, int n, int m, int bits, bool hetero, bool relu_out) {
    std::vector<std::vector<double>> W(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(m)));
    std::uniform_int_distribution<int> w(-(1 << (bits - 1)), (1 << (bits - 1)) - 1);
    std::uniform_int_distribution<int> frac(0, 3);
    for (auto& row : W)
        for (auto& v : row) v = std::ldexp(double(w(rng)), -frac(rng));
    new_trace();
    std::vector<FixedVariable> xs;
    std::uniform_int_distribution<int> kk(0, 1), ii(0, 4), ff(0, 3);
    for (int r = 0; r < n; ++r) xs.push_back(input(hetero ? kif{kk(rng), ii(rng), ff(rng)} : kif{1, 5, 0}));
    FixedVariableArray x(xs);
    FixedVariableArray y = matmul(x, constant(W));
    if (relu_out) y = relu(y);
    return Layer{comb_trace({x}, {y}), W, relu_out};
}

}  // namespace

TEST_CASE("traced layers through CMVM: interpreter == exact arithmetic, RTL == interpreter", "[verilator][cmvm]") {
    const std::uint64_t seed = 20261123;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::vector<BatchDesign> designs;
    struct Shape2 {
        int n, m, bits;
        bool hetero, relu;
    };
    const Shape2 shapes[] = {{4, 3, 4, false, false},
                             {8, 8, 6, true, true},
                             {12, 5, 8, true, false},
                             {6, 10, 3, false, true},
                             {16, 4, 5, true, true}};
    int k = 0;
    for (const Shape2& s : shapes) {
        Layer layer = make_layer(rng, s.n, s.m, s.bits, s.hetero, s.relu);
        Vectors v = corner_vectors(layer.logic, seed + std::uint64_t(k));
        Vectors r = random_vectors(layer.logic, 400, seed + 100 + std::uint64_t(k));
        v.mantissas.insert(v.mantissas.end(), r.mantissas.begin(), r.mantissas.end());
        v.batch += r.batch;

        // Interpreter vs plain arithmetic on the same vectors (values are small dyadics: exact).
        std::vector<i128> out = layer.logic.predict_mantissas(v.mantissas, v.batch);
        std::size_t n = std::size_t(s.n), m = std::size_t(s.m);
        for (std::size_t b = 0; b < v.batch; ++b)
            for (std::size_t c = 0; c < m; ++c) {
                double want = 0;
                for (std::size_t j = 0; j < n; ++j) {
                    const ExactRange& in = layer.logic.graph()[layer.logic.graph().inputs[j]].range;
                    want += std::ldexp(double(v.mantissas[b * n + j]), in.exp) * layer.W[j][c];
                }
                if (layer.relu) want = std::max(want, 0.0);
                const ExactRange& o = layer.logic.output_range(c);
                double got = std::ldexp(double(out[b * m + c]), o.exp);
                INFO("layer " << k << " sample " << b << " output " << c);
                REQUIRE(got == want);
                REQUIRE((out[b * m + c] >= o.lo && out[b * m + c] <= o.hi));
            }
        for (double cutoff : {0.0, 3.0}) {
            BatchDesign d{layer.logic, fmt::format("layer{}_{}", k, cutoff > 0 ? "pipe" : "comb"), VerilogOptions{}, v};
            d.options.latency_cutoff = cutoff;
            designs.push_back(std::move(d));
        }
        ++k;
    }
    // `fixvar cmvm --verilog` emits solution_logic(problem, solution): the same RTL path.
    for (const char* text : {"cmvm 1\nname a\nshape 3 2\nin 1 3 1\nin 0 4 0\nin 1 -1 4\n"
                             "row 3 -0.375\nrow 0 12\nrow -7 1.5\n",
                             "cmvm 1\nname b\nshape 2 3\nin 0 5 -2\nin 1 2 3\n"
                             "row 5 -5 0\nrow 0.25 -3 7\n"}) {
        cmvm::Problem p = cmvm::parse_problem(text);
        cmvm::Solution sol = cmvm::solve(p);
        CombLogic logic = solution_logic(p, sol);
        designs.push_back(BatchDesign{logic, "cmvm_" + p.name, VerilogOptions{}, test::sweep(logic, 12, 500, seed)});
    }
    test::require_all_exact(designs, "cmvm_layers");
}
