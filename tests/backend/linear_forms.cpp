// Sums narrowed to the exact range of their linear form (core/linear_range.hpp) are narrower
// than their operands' interval sum: the RTL keeps only the bits of the exact range, so it must
// still be bit-exact. Designs with such sums (over matmul outputs, residual adds, pooled
// convolutions, cancelling differences) checked against the interpreter in one Verilator build.
#include <random>

#include <fixvar/fixvar.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;

namespace {

FixedVariableArray small_weights(const Shape& shape, unsigned seed) {
    std::mt19937 rng(seed);
    std::size_t n = 1;
    for (auto d : shape) n *= std::size_t(d);
    std::vector<double> w(n);
    for (double& v : w) v = rng() % 4 == 0 ? 0.0 : (int(rng() % 15) - 7) / 8.0;
    return constant(w, shape);
}

FixedVariableArray act(const FixedVariableArray& y) {
    return quantize(relu(y), kif{0, 3, 1}, Round::RND, Overflow::SAT);
}

BatchDesign design(std::string name, const CombLogic& l) {
    BatchDesign d{l, std::move(name), {}, {}};
    d.vectors = test::sweep(l, 12, 400, 7);
    return d;
}

}  // namespace

TEST_CASE("linear forms: sums narrowed to their exact range are bit-exact in RTL",
          "[backend][linear_form][verilator]") {
    std::vector<BatchDesign> designs;
    {  // issue 21's example: sum over a matmul's outputs
        new_trace();
        FixedVariableArray x = input({3}, kif{1, 3, 2});
        FixedVariableArray y = dense(x, constant({{1.0, 0.0}, {0.0, 2.0}, {1.0, 0.0}}));
        FixedVariableArray h = quantize(relu(y), kif{0, 4, 1}, Round::RND, Overflow::SAT);
        FixedVariableArray z = matmul(h, constant({{1.5, -2.0}, {0.0, 0.125}}));
        designs.push_back(design("lf_issue", comb_trace({x}, {sum(z)})));
    }
    {  // residual adds through two dense layers
        new_trace();
        FixedVariableArray x = input({6}, kif{1, 2, 1});
        FixedVariableArray h = act(dense(x, small_weights({6, 8}, 1)));
        FixedVariableArray r = h + dense(h, small_weights({8, 8}, 2));
        FixedVariableArray r2 = r + dense(r, small_weights({8, 8}, 3));
        designs.push_back(design("lf_residual", comb_trace({x}, {r2, sum(r2)})));
    }
    {  // average pooling after a linear convolution
        new_trace();
        FixedVariableArray x = input({5, 5, 1}, kif{0, 2, 0});
        FixedVariableArray c = conv2d(x, small_weights({2, 2, 1, 2}, 4));
        designs.push_back(design("lf_pool", comb_trace({x}, {avg_pool2d(c, {2, 2})})));
    }
    {  // differences that cancel shared terms: (x + y) - y, 2.5 x, z0 - z1 with shared inputs
        new_trace();
        FixedVariable x = input(kif{1, 3, 0}), y = input(kif{0, 5, 2});
        FixedVariable a = (x + y) - y, b = ((x << 2) + y * 3) - (y + (x >> 1)) * 3;
        std::vector<FixedVariable> z = linear_forms({x, y}, [] {
            DyadicMatrix w(2, 2);
            w(0, 0) = Dyadic{3, 0}, w(1, 0) = Dyadic{1, -2}, w(0, 1) = Dyadic{5, -1}, w(1, 1) = Dyadic{1, -2};
            return w;
        }());
        designs.push_back(design("lf_cancel", comb_trace({x, y}, {a, b, z[0] - z[1]})));
    }
    test::require_all_exact(designs, "linear_forms");
}
