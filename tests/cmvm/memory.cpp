// The memory guard: solve() estimates its memory before any run allocates and stays within
// Options::max_memory_bytes by running fewer threads at once (same result), or fails with an
// Error that names the size, the estimate, the budget and what to change — never an OOM kill.
#include <catch2/catch.hpp>

#include <fixvar/cmvm/memory.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/fixvar.hpp>

#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;
using Catch::Contains;

TEST_CASE("the memory estimate grows with the squared digits per output", "[cmvm][memory]") {
    MemoryEstimate small = estimate_memory(test::random_problem(11, 8, 8, 8));
    MemoryEstimate tall = estimate_memory(test::random_problem(11, 32, 8, 8));
    CHECK(small.runs > 1);
    CHECK(small.per_run > 0);
    // 4x the rows: each output has ~4x the digits, ~16x the pairs.
    CHECK(tall.pairs > 8 * small.pairs);
    CHECK(tall.per_run > small.per_run);
    CHECK(small.total(2) > small.total(1));
    CHECK(small.total(1000) == small.total(small.runs));
    Options naive;
    naive.algorithm = Algorithm::Naive;
    CHECK(estimate_memory(test::random_problem(11, 32, 8, 8), naive).per_run == 0);
    CHECK(default_memory_budget() > (std::uint64_t(64) << 20));
    CHECK(format_bytes(std::uint64_t(3) << 29) == "1.5 GB");
    CHECK(format_bytes(std::uint64_t(5) << 20) == "5 MB");
}

TEST_CASE("a budget below two runs runs one at a time with the same result", "[cmvm][memory]") {
    const std::uint64_t seed = 21;
    INFO("seed " << seed);
    Problem p = test::random_problem(seed, 12, 10, 6);
    Options opt;
    MemoryEstimate e = estimate_memory(p, opt);
    REQUIRE(e.runs >= 2);
    Solution free_run = solve(p, opt);
    opt.max_memory_bytes = e.total(1);  // fits one run, not two
    REQUIRE(e.total(2) > opt.max_memory_bytes);
    Solution tight = solve(p, opt);
    CHECK(tight.adders == free_run.adders);
    CHECK(tight.outputs == free_run.outputs);
    CHECK(tight.cost == free_run.cost);
}

TEST_CASE("a problem over the memory budget is an Error, not an OOM kill", "[cmvm][memory][errors]") {
    Problem p = test::random_problem(5, 12, 10, 6);
    Options opt;
    opt.split = false;  // split, it is solved in blocks (blocked.cpp)
    opt.max_memory_bytes = estimate_memory(p, opt).total(1) - 1;
    REQUIRE_THROWS_WITH(solve(p, opt), Contains("problem 'rand_5' (12 x 10") && Contains("needs about") &&
                                           Contains("over the memory budget of") && Contains("split the layer") &&
                                           Contains("--max-memory") && Contains("naive"));
    opt.algorithm = Algorithm::Naive;  // the documented way out: no pair CSE, little memory
    CHECK(solve(p, opt).exact);

    // A layer far beyond any machine's memory (2048 x 512 at 8 bits: ~1 TB by the model) fails
    // at once under the default budget instead of allocating.
    Problem huge = test::random_problem(6, 2048, 512, 8);
    REQUIRE(estimate_memory(huge).total(1) > default_memory_budget());
    Options whole;
    whole.split = false;
    REQUIRE_THROWS_WITH(solve(huge, whole), Contains("2048 x 512") && Contains("half of the memory available"));
}

TEST_CASE("dense() on a layer over the budget raises the same Error", "[cmvm][memory][trace]") {
    new_trace();
    FixedVariableArray x = input({6}, FormatArray(std::vector<kif>(6, kif{1, 3, 0})));
    std::vector<double> w;
    for (int k = 0; k < 6 * 5; ++k) w.push_back(double((k * 37) % 23) - 11);
    FixedVariableArray W = constant(w, {6, 5});
    LinearOptions saved = linear_options();
    linear_options().cmvm.max_memory_bytes = 1 << 20;
    CHECK_THROWS_WITH(dense(x, W), Contains("over the memory budget of 1 MB"));
    linear_options() = saved;
    CHECK(dense(x, W).size() == 5);
}
