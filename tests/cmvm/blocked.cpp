// Blocked solves: a W whose single run would not fit the memory budget is solved in row (then
// column) blocks whose outputs are summed; the result is exact, deterministic for a budget, and
// --no-split (Options::split = false) keeps the memory Error.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include <fixvar/cmvm/memory.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/fixvar.hpp>

#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;
using Catch::Contains;

namespace {

// y = x·W on random inputs of p's formats, exactly, against the solution's own evaluation.
void check_products(const Solution& s, const Problem& p, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<i128> q(std::size_t(p.n));
        for (int r = 0; r < p.n; ++r) {
            const ExactRange g = p.input_range(r);
            const auto span = std::uint64_t(g.hi - g.lo);
            q[std::size_t(r)] = g.lo + i128(span ? rng() % (span + 1) : 0);
        }
        std::vector<Dyadic> y = evaluate(s, p.inputs, q);
        for (int c = 0; c < p.m; ++c) {
            // Σ_r mant·q·2^(exp - f_r), aligned to the finest exponent (small test sizes: fits i128).
            int e0 = 0;
            for (int r = 0; r < p.n; ++r)
                e0 = std::min(
                    e0, p.weights[std::size_t(r) * std::size_t(p.m) + std::size_t(c)].exp - p.inputs[std::size_t(r)].f);
            i128 sum = 0;
            for (int r = 0; r < p.n; ++r) {
                const Dyadic& w = p.weights[std::size_t(r) * std::size_t(p.m) + std::size_t(c)];
                sum += (w.mant * q[std::size_t(r)]) << (w.exp - p.inputs[std::size_t(r)].f - e0);
            }
            REQUIRE(y[std::size_t(c)] == Dyadic::make(sum, e0));
        }
    }
}

// A budget that one run of the whole problem does not fit (but a block does).
std::uint64_t budget_below_whole(const Problem& p) {
    Options whole;
    return estimate_memory(p, whole).total(1) - 1;
}

}  // namespace

TEST_CASE("blocked solves are exact: every output equals the matrix product", "[cmvm][blocked]") {
    for (std::uint64_t seed : {3u, 17u, 29u}) {
        INFO("seed " << seed);
        Problem p = test::random_problem(seed, 24 + int(seed % 7), 12, 6, 2, 30);
        Options opt;
        opt.max_memory_bytes = budget_below_whole(p);
        Solution s = solve(p, opt);
        CHECK(s.exact);
        CHECK_THAT(s.blocking, Contains("row blocks") && Contains("memory budget") && Contains("unshared graph"));
        check_products(s, p, seed);
        // The same budget splits the same way: the same graph.
        Solution again = solve(p, opt);
        CHECK(again.adders == s.adders);
        CHECK(again.outputs == s.outputs);
        // Solved whole, it is not split.
        CHECK(solve(p, Options{}).blocking.empty());
    }
}

TEST_CASE("single rows over the budget split the columns too", "[cmvm][blocked]") {
    const std::uint64_t seed = 41;
    INFO("seed " << seed);
    Problem p = test::random_problem(seed, 2, 160, 8);
    // The budget of one row's first 40 columns: neither row fits whole.
    Problem q = p;
    q.n = 1;
    q.m = 40;
    q.inputs.resize(1);
    q.weights.assign(p.weights.begin(), p.weights.begin() + 40);
    Options opt;
    opt.max_memory_bytes = estimate_memory(q, opt).total(1);
    Solution s = solve(p, opt);
    CHECK_THAT(s.blocking, Contains("column blocks"));
    check_products(s, p, seed);
}

TEST_CASE("a depth bound holds through the blocks' sums", "[cmvm][blocked]") {
    Problem p = test::random_problem(7, 32, 6, 8);
    Options opt;
    opt.max_memory_bytes = budget_below_whole(p);
    Options loose = opt;
    loose.max_depth = 12;
    Solution s = solve(p, loose);
    CHECK_THAT(s.blocking, Contains("row blocks"));
    CHECK(s.depth <= 12);
}

TEST_CASE("no split keeps the memory Error; nothing fits even single weights is an Error", "[cmvm][blocked][errors]") {
    Problem p = test::random_problem(5, 12, 10, 6);
    Options opt;
    opt.max_memory_bytes = budget_below_whole(p);
    opt.split = false;
    CHECK_THROWS_WITH(solve(p, opt), Contains("over the memory budget") && Contains("split the layer"));
    opt.split = true;
    opt.max_memory_bytes = 1024;
    CHECK_THROWS_WITH(solve(p, opt), Contains("problem 'rand_5' (12 x 10) is over the memory budget of") &&
                                         Contains("even split into single weights") && Contains("--max-memory"));
}

TEST_CASE("the strategy table lists blocked solves", "[cmvm][blocked]") {
    bool found = false;
    for (const StrategyInfo& s : list_strategies())
        if (s.name == "blocked") found = s.stage == "split" && !s.when.empty();
    CHECK(found);
}

TEST_CASE("dense() in a trace goes through the same blocked solve, exactly", "[cmvm][blocked][trace]") {
    const unsigned seed = 13;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    const int n = 40, m = 6;
    std::vector<double> w(std::size_t(n * m));
    for (double& v : w) v = double(int(rng() % 255) - 127);
    new_trace();
    FixedVariableArray x = input({n}, kif{1, 5, 0});
    // The budget one run of the whole layer just misses (its problem: W and x's formats).
    Problem p;
    p.name = "dense";
    p.n = n;
    p.m = m;
    p.inputs.assign(std::size_t(n), kif{1, 5, 0});
    for (double v : w) p.weights.push_back(Dyadic::make(i128(v), 0));
    Options split;
    split.max_memory_bytes = budget_below_whole(p);
    REQUIRE_THAT(solve(p, split).blocking, Contains("row blocks"));  // the problem the trace solves
    LinearOptions saved = linear_options();
    linear_options().cmvm.max_memory_bytes = split.max_memory_bytes;
    CombLogic layer = comb_trace({x}, {dense(x, constant(w, {n, m}))});
    linear_options() = saved;
    std::vector<std::vector<double>> samples(8, std::vector<double>(std::size_t(n)));
    for (auto& s : samples)
        for (double& v : s) v = double(int(rng() % 64) - 32);
    const auto y = layer.predict(samples);
    for (std::size_t k = 0; k < samples.size(); ++k)
        for (int c = 0; c < m; ++c) {
            double want = 0;  // integers below 2^53: exact in double
            for (int r = 0; r < n; ++r) want += samples[k][std::size_t(r)] * w[std::size_t(r * m + c)];
            REQUIRE(y[k][std::size_t(c)] == want);
        }
}
