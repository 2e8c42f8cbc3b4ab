// An output's single-use adders are rebuilt for it (trace/linear.cpp, SingleUseSums):
// - negations are free in the CMVM metric and in wiring, but a negator in hardware is a carry
//   chain of the value's width. Negated CMVM outputs whose single-use adder subtree holds a
//   subtractor, negated shifted differences and -A - B with a subtractor among A, B are built
//   without one;
// - a layer's constant bias is added where the output's adders have slack, not after the last.
// Values checked exhaustively against the reference; negators and estimated levels counted.
#include "sweep.hpp"

#include <random>

#include <fixvar/cmvm/solution.hpp>
#include <fixvar/trace/linear.hpp>

using namespace fixvar;
using V = std::vector<FixedVariable>;
using R = std::vector<ref::Val>;

namespace {

std::size_t negators(const std::vector<kif>& formats, const sweep::Build& build) {
    new_trace();
    V in;
    for (const kif& q : formats) in.push_back(input(q));
    V out = build(in);
    return comb_trace(in, out).stats().count_by_op[int(ir::Op::Neg)];
}

const std::vector<kif> three_inputs = {kif{1, 2, 1}, kif{0, 3, 0}, kif{1, 1, 2}};

// y0 = -(n3 + x2<<1) with n3 = x0 - x1; y1 (when shared) also reads n3.
cmvm::Solution solution(bool n3_shared, bool n3_subtracts) {
    cmvm::Solution s;
    s.n = 3;
    s.adders = {cmvm::Adder{0, 1, 0, n3_subtracts}, cmvm::Adder{3, 2, 1, false}};
    s.outputs = {cmvm::OutputRef{4, 0, true}};
    if (n3_shared) s.outputs.push_back(cmvm::OutputRef{3, -1, false});
    s.m = int(s.outputs.size());
    return s;
}

R reference(const R& x, bool n3_shared, bool n3_subtracts) {
    ref::Val n3 = n3_subtracts ? x[0] - x[1] : x[0] + x[1];
    R y{-(n3 + ref::shifted(x[2], 1))};
    if (n3_shared) y.push_back(ref::shifted(n3, -1));
    return y;
}

}  // namespace

TEST_CASE("negated sums: a negated CMVM output is built without a negator when its tree can absorb it",
          "[trace][cmvm][output_sums]") {
    struct Case {
        bool shared, subtracts;
        std::size_t negators;  // -(x0 - x1 + 2 x2) = (x1 - x0) - 2 x2; the others need one
    };
    for (Case c : {Case{false, true, 0}, Case{true, true, 1}, Case{false, false, 1}}) {
        auto build = [&](const V& x) { return apply_solution(x, solution(c.shared, c.subtracts)); };
        auto label = fmt::format("n3 shared {}, n3 subtracts {}", c.shared, c.subtracts);
        INFO(label);
        CHECK(negators(three_inputs, build) == c.negators);
        sweep::run(
            label, three_inputs, build, [&](const R& x) { return reference(x, c.shared, c.subtracts); },
            std::vector<sweep::Tight>(c.shared ? 2 : 1, sweep::Tight::no));
    }
}

TEST_CASE("negated sums: -(d << k) of a difference and -A - B with a subtractor need no negator",
          "[trace][output_sums]") {
    auto shifted_difference = [](const V& x) { return V{-((x[0] - x[1]) * 0.25)}; };
    CHECK(negators(three_inputs, shifted_difference) == 0);
    sweep::run("-((x0 - x1) / 4)", three_inputs, shifted_difference,
               [](const R& x) { return R{-ref::shifted(x[0] - x[1], -2)}; }, {sweep::Tight::no});

    auto both_negative = [](const V& x) { return V{-(x[0] - x[1]) - x[2] * 2}; };
    CHECK(negators(three_inputs, both_negative) == 0);
    sweep::run("-(x0 - x1) - 2 x2", three_inputs, both_negative,
               [](const R& x) { return R{-(x[0] - x[1]) - ref::shifted(x[2], 1)}; }, {sweep::Tight::no});

    auto no_subtractor = [](const V& x) { return V{-(x[0] + x[1]) - x[2]}; };
    CHECK(negators(three_inputs, no_subtractor) == 1);  // -(x0 + x1 + x2): one negator remains
}

TEST_CASE("negated sums: dense layers with mostly negative weights stay exact", "[trace][cmvm][output_sums]") {
    const std::uint64_t seed = 20261207;
    WARN("seed " << seed);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> weight(-15, 4);
    for (int trial = 0; trial < 6; ++trial) {
        const std::size_t n = 3, m = 4;
        std::vector<int> w(n * m);  // weights w / 2
        for (int& v : w) v = weight(rng);
        std::vector<double> halves;
        for (int v : w) halves.push_back(v / 2.0);
        const std::vector<kif> formats = {kif{1, 1, 1}, kif{0, 2, 1}, kif{1, 2, 0}};
        sweep::run(
            fmt::format("trial {}", trial), formats,
            [&](const V& x) {
                FixedVariableArray y = dense(FixedVariableArray(x, {std::int64_t(n)}),
                                             constant(halves, {std::int64_t(n), std::int64_t(m)}));
                return y.values();
            },
            [&](const R& x) {
                R y;
                for (std::size_t c = 0; c < m; ++c) {
                    ref::Val acc{0, 0};
                    for (std::size_t r = 0; r < n; ++r) acc = acc + ref::Val{w[r * m + c], -1} * x[r];
                    y.push_back(acc);
                }
                return y;
            },
            std::vector<sweep::Tight>(m, sweep::Tight::no));
    }
}

TEST_CASE("output sums: a constant bias joins the output's adders off its longest path", "[trace][cmvm][output_sums]") {
    const std::uint64_t seed = 7;
    WARN("seed " << seed);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> weight(-12, 12), bias(-9, 9);
    const std::size_t n = 4, m = 3;
    const std::vector<kif> formats = {kif{1, 2, 1}, kif{0, 2, 1}, kif{1, 1, 1}, kif{0, 1, 2}};
    int shorter = 0;
    for (int trial = 0; trial < 8; ++trial) {
        std::vector<double> w(n * m), b(m);
        for (double& v : w) v = weight(rng) / 4.0;
        for (double& v : b) v = bias(rng) / 8.0;
        auto with_bias = [&](const V& x) {  // dense: the bias inside the product
            return dense(FixedVariableArray(x, {std::int64_t(n)}), constant(w, {std::int64_t(n), std::int64_t(m)}),
                         constant(b, {std::int64_t(m)}))
                .values();
        };
        auto bias_last = [&](const V& x) {  // the same sum with the bias added after it
            FixedVariableArray y =
                matmul(FixedVariableArray(x, {std::int64_t(n)}), constant(w, {std::int64_t(n), std::int64_t(m)})) +
                constant(b, {std::int64_t(m)});
            return y.values();
        };
        auto levels = [&](const sweep::Build& build) {
            new_trace();
            V in;
            for (const kif& q : formats) in.push_back(input(q));
            return comb_trace(in, build(in)).stats().latency;
        };
        double inside = levels(with_bias), last = levels(bias_last);
        INFO("trial " << trial << ": " << inside << " levels with the bias inside, " << last << " added last");
        CHECK(inside <= last);
        shorter += inside < last;
        sweep::run(
            fmt::format("dense with bias, trial {}", trial), formats, with_bias,
            [&](const R& x) {
                R y;
                for (std::size_t c = 0; c < m; ++c) {
                    ref::Val acc = ref::from_double(b[c]);
                    for (std::size_t r = 0; r < n; ++r) acc = acc + ref::from_double(w[r * m + c]) * x[r];
                    y.push_back(acc);
                }
                return y;
            },
            std::vector<sweep::Tight>(m, sweep::Tight::no));
    }
    WARN(shorter << " of 8 layers shorter with the bias inside");
    CHECK(shorter > 0);
}

TEST_CASE("output sums: conv2d with a bias stays exact", "[trace][cmvm][output_sums]") {
    const std::vector<kif> formats(8, kif{0, 1, 1});  // a 2x4 single-channel image
    std::vector<double> kernel = {0.75, -1.5, 2.25, -0.5}, b = {-0.625, 1.5};
    auto build = [&](const V& x) {
        FixedVariableArray img(x, {2, 4, 1});
        std::vector<double> k2;
        for (double v : kernel) k2.insert(k2.end(), {v, -v / 2});  // (2, 2, 1, 2)
        return conv2d(img, constant(k2, {2, 2, 1, 2}), constant(b, {2})).values();
    };
    sweep::run(
        "conv2d 2x2, two filters, bias", formats, build,
        [&](const R& x) {
            R y;
            for (int col = 0; col < 3; ++col)
                for (int f = 0; f < 2; ++f) {
                    ref::Val acc = ref::from_double(b[std::size_t(f)]);
                    for (int i = 0; i < 2; ++i)
                        for (int j = 0; j < 2; ++j) {
                            double kv = kernel[std::size_t(i * 2 + j)] * (f ? -0.5 : 1.0);
                            acc = acc + ref::from_double(kv) * x[std::size_t(i * 4 + col + j)];
                        }
                    y.push_back(acc);
                }
            return y;
        },
        std::vector<sweep::Tight>(6, sweep::Tight::no));
}
