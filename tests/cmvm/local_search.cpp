// Destroy-and-repair search (local_search): every graph it returns must stay exact, within the
// depth bound, never worse than its start, and a function of the seed (not of the threads).
#include <catch2/catch.hpp>

#include "cmvm/pair_cse.hpp"
#include "cmvm/local_search.hpp"
#include <fixvar/cmvm/solve.hpp>

#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;

TEST_CASE("local search keeps graphs exact, within the depth bound and never worse") {
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        Problem p = test::random_problem(seed + 700, 2 + int(seed % 11), 1 + int(seed * 5 % 19), 2 + int(seed % 8),
                                         int(seed % 3), int(seed * 13 % 50));
        IntProblem ip = to_integer(p);
        LowerBound lb = lower_bound(p);
        for (int md : {-1, lb.depth + 1}) {
            // Start from the naive graph (much to gain) and from a pipeline run (little).
            Variant v;
            v.score = Score::Count;
            v.recode = true;
            v.max_depth = md;
            for (int start = 0; start < 2; ++start) {
                std::optional<Solution> s0 = start == 0 ? std::optional(run_naive(ip)) : run_variant(ip, v);
                if (!s0) continue;
                s0->name = p.name;
                REQUIRE(verify(*s0, p));
                LocalSearchOptions o;
                o.moves = 30;
                o.max_depth = md >= 0 ? std::max(md, s0->depth) : -1;
                o.seed = seed;
                o.threads = 2;
                Solution s = local_search(ip, *s0, o);
                s.name = p.name;
                CAPTURE(seed, md, start);
                REQUIRE(verify(s, p, 24, seed));
                REQUIRE(s.adder_count() <= s0->adder_count());
                if (o.max_depth >= 0) REQUIRE(s.depth <= o.max_depth);
                o.threads = 1;
                Solution s1 = local_search(ip, *s0, o);
                REQUIRE(s1.adders == s.adders);
                REQUIRE(s1.outputs == s.outputs);
            }
        }
    }
}

TEST_CASE("local search reduces the naive graph of a shared-pattern matrix") {
    // Every column holds 3·x0 + 5·x1: the naive graph repeats the sums, a repair shares them.
    Problem p = test::random_problem(5, 2, 6, 4);
    for (auto& w : p.weights) w = Dyadic::make(0, 0);
    for (int c = 0; c < p.m; ++c) {
        p.weights[std::size_t(c)] = Dyadic::make(3 + 2 * (c % 2), 0);
        p.weights[std::size_t(p.m + c)] = Dyadic::make(5, 0);
    }
    IntProblem ip = to_integer(p);
    Solution s0 = run_naive(ip);
    LocalSearchOptions o;
    o.moves = 40;
    Solution s = local_search(ip, s0, o);
    s.name = p.name;
    REQUIRE(verify(s, p));
    REQUIRE(s.adder_count() < s0.adder_count());
}
