// Negations are free in the CMVM metric and in wiring, but a negator in hardware is a carry chain
// of the value's width. Negated CMVM outputs whose single-use adder subtree holds a subtractor,
// negated shifted differences and -A - B with a subtractor among A, B are built without one.
// Values checked exhaustively against the reference; negators counted in the traced graph.
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
          "[trace][cmvm][negation]") {
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
            std::vector<sweep::Tight>(c.shared ? 2 : 1, sweep::Tight::values_only));
    }
}

TEST_CASE("negated sums: -(d << k) of a difference and -A - B with a subtractor need no negator", "[trace][negation]") {
    auto shifted_difference = [](const V& x) { return V{-((x[0] - x[1]) * 0.25)}; };
    CHECK(negators(three_inputs, shifted_difference) == 0);
    sweep::run("-((x0 - x1) / 4)", three_inputs, shifted_difference,
               [](const R& x) { return R{-ref::shifted(x[0] - x[1], -2)}; }, {sweep::Tight::values_only});

    auto both_negative = [](const V& x) { return V{-(x[0] - x[1]) - x[2] * 2}; };
    CHECK(negators(three_inputs, both_negative) == 0);
    sweep::run("-(x0 - x1) - 2 x2", three_inputs, both_negative,
               [](const R& x) { return R{-(x[0] - x[1]) - ref::shifted(x[2], 1)}; }, {sweep::Tight::values_only});

    auto no_subtractor = [](const V& x) { return V{-(x[0] + x[1]) - x[2]}; };
    CHECK(negators(three_inputs, no_subtractor) == 1);  // -(x0 + x1 + x2): one negator remains
}

TEST_CASE("negated sums: dense layers with mostly negative weights stay exact", "[trace][cmvm][negation]") {
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
            std::vector<sweep::Tight>(m, sweep::Tight::values_only));
    }
}
