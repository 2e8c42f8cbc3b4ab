// The optimizer: exactness, metrics, edge cases, depth bounds, determinism, caching.
#include <catch2/catch.hpp>

#include "cmvm/adder_graph.hpp"
#include <fixvar/cmvm/solution_json.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;

namespace {

Problem make(int n, int m, std::vector<kif> in, std::vector<std::int64_t> w, int e = 0) {
    Problem p;
    p.name = "t";
    p.n = n;
    p.m = m;
    p.inputs = std::move(in);
    for (auto v : w) p.weights.push_back(Dyadic::make(v, e));
    return p;
}

void check_all_algorithms(const Problem& p) {
    for (Algorithm a : {Algorithm::Naive, Algorithm::Baseline, Algorithm::Improved})
        for (Objective o : {Objective::Cost, Objective::Adders}) {
            Options opt;
            opt.algorithm = a;
            opt.objective = o;
            CAPTURE(to_string(a), to_string(o));
            Solution s = solve(p, opt);
            REQUIRE(s.exact);
            Solution copy = s;
            REQUIRE(verify(copy, p, 32, 99));
        }
}

}  // namespace

TEST_CASE("cost, adders and depth follow their definitions") {
    // y = x0 + 16·x1, x signed 4-bit: range [-136, 119] (9 bits, MSB at 8); coarser LSB 4.
    Problem p = make(2, 1, {{1, 3, 0}, {1, 3, 0}}, {1, 16});
    Solution s = solve(p);
    REQUIRE(s.adder_count() == 1);
    REQUIRE(s.cost == 5);
    REQUIRE(s.depth == 1);
    // y = 3x, x unsigned 3-bit: 4x - x has the exact range [0, 21] (MSB 4), coarser LSB 2.
    Problem q = make(1, 1, {{0, 3, 0}}, {3});
    Solution t = solve(q);
    REQUIRE(t.adder_count() == 1);
    REQUIRE(t.cost == 3);
    REQUIRE(t.nodes.back().range == ExactRange{0, 21, -2});  // the node holds 3x/4; the output shifts by 2
}

TEST_CASE("exact ranges see correlations that intervals miss") {
    // (x0 + x1) - x1 has the range of x0.
    Problem p = make(2, 1, {{1, 3, 0}, {1, 3, 0}}, {1, 0});
    Solution s;
    s.n = 2;
    s.m = 1;
    s.adders = {{0, 1, 0, false}, {2, 1, 0, true}};
    s.outputs = {{3, 0, false}};
    REQUIRE(verify(s, p));
    REQUIRE(s.nodes[3].range == ExactRange{-8, 7, 0});
    REQUIRE(s.nodes[3].cost == 4);  // MSB 3 (sign), LSB 0
}

TEST_CASE("solutions are exact on random matrices of many shapes and widths") {
    std::uint64_t seed = 1000;
    for (int n : {1, 2, 3, 5, 8, 13})
        for (int m : {1, 2, 4, 7, 12})
            for (int bits : {1, 2, 4, 8, 12}) {
                ++seed;
                Problem p = test::random_problem(seed, n, m, bits, seed % 3 == 0 ? 4 : 0);
                CAPTURE(seed, n, m, bits);
                Options opt;
                opt.objective = seed % 2 ? Objective::Cost : Objective::Adders;
                Solution s = solve(p, opt);
                REQUIRE(s.exact);
                if (seed % 5 == 0) check_all_algorithms(p);
            }
}

TEST_CASE("edge cases") {
    kif s8{1, 7, 0}, u4{0, 4, 0}, neg_i{1, -2, 5}, neg_f{0, 6, -2};
    SECTION("zero rows and columns") {
        check_all_algorithms(make(0, 3, {}, {}));
        Solution s = solve(make(3, 0, {s8, s8, s8}, {}));
        REQUIRE(s.exact);
        REQUIRE(s.adder_count() == 0);
        check_all_algorithms(make(3, 2, {s8, u4, s8}, {0, 5, 0, 0, 3, -7}));
    }
    SECTION("all-zero matrix") {
        Solution s = solve(make(2, 2, {s8, u4}, {0, 0, 0, 0}));
        REQUIRE(s.adder_count() == 0);
        REQUIRE(s.outputs[0].node == -1);
        REQUIRE(s.exact);
    }
    SECTION("duplicate and negated columns share one graph") {
        Problem p = make(3, 4, {s8, u4, neg_i}, {5, -5, 5, 10, 3, -3, 3, 6, -7, 7, -7, -14});
        Solution s = solve(p);
        REQUIRE(s.exact);
        Problem q = make(3, 1, {s8, u4, neg_i}, {5, 3, -7});
        REQUIRE(s.adder_count() == solve(q).adder_count());
        check_all_algorithms(p);
    }
    SECTION("single element and powers of two") {
        Solution s = solve(make(1, 1, {s8}, {1}));
        REQUIRE(s.adder_count() == 0);
        REQUIRE(s.exact);
        Solution t = solve(make(1, 3, {s8}, {4, -1, 1}, -3));
        REQUIRE(t.adder_count() == 0);
        REQUIRE(t.outputs[0].shift == -1);
        REQUIRE(t.outputs[1].negate);
        check_all_algorithms(make(2, 2, {s8, u4}, {1, 2, -4, 8}, -2));
    }
    SECTION("fractional and negative weights, inputs with negative i or f, unsigned and signed") {
        check_all_algorithms(make(3, 2, {neg_i, neg_f, u4}, {-3, 5, 7, -1, 9, 11}, -5));
        check_all_algorithms(make(2, 2, {{1, 0, 0}, {0, 1, 0}}, {-1, 1, 1, -1}));
    }
    SECTION("weights spanning too many bits are a clear error") {
        Problem p = make(1, 2, {s8}, {1, 1});
        p.weights[1] = Dyadic::make(1, 70);
        REQUIRE_THROWS_WITH(solve(p), Catch::Contains("span") && Catch::Contains("quantize"));
    }
}

TEST_CASE("the depth bound is respected, and impossible bounds are errors") {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        Problem p = test::random_problem(seed, 6 + int(seed % 5), 5, 8);
        LowerBound lb = lower_bound(p);
        CAPTURE(seed, lb.depth);
        for (int extra : {0, 1, 3}) {
            Options opt;
            opt.max_depth = lb.depth + extra;
            opt.algorithm = seed % 2 ? Algorithm::Improved : Algorithm::Baseline;
            Solution s = solve(p, opt);
            REQUIRE(s.exact);
            REQUIRE(s.depth <= lb.depth + extra);
        }
        if (lb.depth > 0) {
            Options opt;
            opt.max_depth = lb.depth - 1;
            REQUIRE_THROWS_WITH(solve(p, opt), Catch::Contains("--max-depth"));
        }
        // A slack is a bound relative to this problem's minimum; max_depth wins over it.
        for (int slack : {0, 2}) {
            Options opt;
            opt.depth_slack = slack;
            Solution s = solve(p, opt);
            REQUIRE(s.exact);
            REQUIRE(s.depth <= lb.depth + slack);
        }
        Options both;
        both.depth_slack = 0;
        both.max_depth = lb.depth + 3;
        REQUIRE(solve(p, both).depth <= lb.depth + 3);
    }
}

TEST_CASE("solutions beat the naive baseline and respect the lower bounds") {
    for (std::uint64_t seed = 50; seed < 56; ++seed) {
        Problem p = test::random_problem(seed, 16, 16, 8);
        CAPTURE(seed);
        Options naive;
        naive.algorithm = Algorithm::Naive;
        Solution s = solve(p), nv = solve(p, naive);
        LowerBound lb = lower_bound(p);
        REQUIRE(s.cost < nv.cost);
        REQUIRE(s.adder_count() >= lb.adders);
        REQUIRE(s.depth >= lb.depth);
        REQUIRE(s.cost >= lb.cost);
    }
}

TEST_CASE("results are deterministic for a seed, whatever the thread count") {
    Problem p = test::random_problem(77, 24, 16, 8);
    Options a;
    a.threads = 1;
    Options b;
    b.threads = 2;
    Solution s1 = solve(p, a), s2 = solve(p, a), s3 = solve(p, b);
    REQUIRE(s1.adders == s2.adders);
    REQUIRE(s1.outputs == s2.outputs);
    REQUIRE(s1.adders == s3.adders);
    REQUIRE(s1.outputs == s3.outputs);
}

TEST_CASE("identical problems are solved once") {
    Problem p = test::random_problem(5, 8, 8, 6);
    Problem q = p;
    q.name = "other";
    SolveCache cache;
    Solution s = cache.solve(p);
    Solution t = cache.solve(q);
    REQUIRE(cache.hits() == 1);
    REQUIRE(t.name == "other");
    REQUIRE(t.adders == s.adders);
}

TEST_CASE("the JSON writer lists adders, exact ranges and outputs") {
    Problem p = make(2, 3, {{1, 3, 0}, {0, 2, 1}}, {3, 0, -5, 1, 0, 7});
    Solution s = solve(p);
    std::string j = solution_json(s);
    CHECK_THAT(j, Catch::Contains("\"adders\": ") && Catch::Contains("\"outputs\"") && Catch::Contains("\"lo\": ") &&
                      Catch::Contains("\"exp\": "));
}

TEST_CASE("exact input ranges tighter than the formats drive widths, costs and verification") {
    // x0 in [0, 5] (format u3: [0, 7]), x1 in [-3, 2] (format s4: [-8, 7]).
    Problem p = make(2, 2, {{0, 3, 0}, {1, 3, 0}}, {3, 5, 7, -6});
    Problem q = p;
    q.ranges = {ExactRange{0, 5, 0}, ExactRange{-3, 2, 0}};
    REQUIRE_NOTHROW(q.validate());
    REQUIRE(q.input_range(0) == ExactRange{0, 5, 0});
    REQUIRE(p.input_range(0) == ExactRange{0, 7, 0});
    REQUIRE_FALSE(p.same_matrix(q));
    Problem q2 = q;
    q2.name = "twin";
    REQUIRE(q.same_matrix(q2));
    // Ranges equal to the formats' are the same problem as none at all.
    Problem pf = p;
    pf.ranges = {ExactRange{0, 7, 0}, ExactRange{-8, 7, 0}};
    REQUIRE(p.same_matrix(pf));

    for (Objective o : {Objective::Cost, Objective::Adders}) {
        Options opt;
        opt.objective = o;
        Solution sp = solve(p, opt), sq = solve(q, opt);
        REQUIRE(sq.exact);
        REQUIRE(sq.cost < sp.cost);
        // Ranges are what analyze uses: the input nodes carry the given ranges.
        REQUIRE(sq.nodes[0].range == ExactRange{0, 5, 0});
        REQUIRE(sq.nodes[1].range == ExactRange{-3, 2, 0});
        Solution copy = sq;
        REQUIRE(verify(copy, q, 64, 5));
        REQUIRE(copy.cost == sq.cost);
        // The same graph rescored with the formats' full ranges costs more (or the same).
        Solution full = sq;
        REQUIRE(verify(full, p));
        REQUIRE(full.cost >= sq.cost);
    }
    // A single adder: y = x0 + 8·x1 with x0 in [0, 5] and x1 in [0, 1] -> [0, 13], 4 bits, LSB 3.
    Problem r = make(2, 1, {{0, 3, 0}, {0, 3, 0}}, {1, 8});
    r.ranges = {ExactRange{0, 5, 0}, ExactRange{0, 1, 0}};
    Solution sr = solve(r);
    REQUIRE(sr.adder_count() == 1);
    REQUIRE(sr.cost == 1);  // MSB 3, coarser operand's LSB 3
    r.ranges.clear();
    REQUIRE(solve(r).cost == 3);  // [0, 63]: MSB 5, LSB 3
}

TEST_CASE("input ranges: coarser grids, constants, validation and caching") {
    Problem p = make(2, 2, {{1, 4, 2}, {0, 4, 0}}, {3, -5, 7, 9});
    SECTION("a range on a coarser grid is used on the format's grid") {
        Problem q = p;
        q.ranges = {ExactRange{-3, 5, 1}, ExactRange{0, 3, 2}};
        REQUIRE(q.input_range(0) == ExactRange{-24, 40, -2});
        REQUIRE(q.input_range(1) == ExactRange{0, 12, 0});
        Solution s = solve(q);
        REQUIRE(s.exact);
        check_all_algorithms(q);
    }
    SECTION("constant and zero ranges") {
        Problem q = p;
        q.ranges = {ExactRange{3, 3, -2}, ExactRange{0, 0, 0}};
        check_all_algorithms(q);
    }
    SECTION("ranges outside the format or of the wrong count are errors") {
        Problem q = p;
        q.ranges = {ExactRange{0, 5, 0}};
        REQUIRE_THROWS_WITH(solve(q), Catch::Contains("input ranges"));
        q.ranges = {ExactRange{0, 5, 0}, ExactRange{0, 16, 0}};
        REQUIRE_THROWS_WITH(solve(q), Catch::Contains("not within"));
        q.ranges = {ExactRange{1, 3, -3}, ExactRange{0, 1, 0}};  // finer than the format's grid
        REQUIRE_THROWS_WITH(solve(q), Catch::Contains("not within"));
    }
    SECTION("the cache tells problems apart by their ranges") {
        Problem q = p;
        q.ranges = {ExactRange{-4, 4, -2}, ExactRange{0, 3, 0}};
        SolveCache cache;
        Solution a = cache.solve(p), b = cache.solve(q);
        REQUIRE(cache.hits() == 0);
        Problem q2 = q;
        q2.name = "again";
        Solution c = cache.solve(q2);
        REQUIRE(cache.hits() == 1);
        REQUIRE(c.cost == b.cost);
        REQUIRE(b.cost <= a.cost);
    }
}

TEST_CASE("a time budget adds a deterministic number of restarts, never a worse result") {
    Problem p = test::random_problem(91, 12, 10, 8);
    for (Objective o : {Objective::Cost, Objective::Adders}) {
        Options a;
        a.objective = o;
        Options b = a;
        b.time_budget = 0.05;
        Solution s0 = solve(p, a), s1 = solve(p, b), s2 = solve(p, b);
        REQUIRE(s1.exact);
        REQUIRE(s1.adders == s2.adders);
        REQUIRE(s1.outputs == s2.outputs);
        // Same seed: the budgeted run's restarts include the default run's.
        if (o == Objective::Cost)
            REQUIRE(s1.cost <= s0.cost);
        else
            REQUIRE(s1.adder_count() <= s0.adder_count());
    }
}

TEST_CASE("the default depth bound spends one extra level only where it saves cost") {
    // Default (no --max-depth): the cost objective may take a second level above the provable
    // minimum (where it saves >= 0.75%), the adder count stays within one.
    for (std::uint64_t seed = 200; seed < 206; ++seed) {
        Problem p = test::random_problem(seed, 8 + int(seed % 3) * 4, 8 + int(seed % 2) * 8, 6);
        LowerBound lb = lower_bound(p);
        CAPTURE(seed, lb.depth);
        Solution s = solve(p);
        REQUIRE(s.exact);
        REQUIRE(s.depth <= lb.depth + 2);
        REQUIRE(s.depth >= lb.depth);
        Options adders;
        adders.objective = Objective::Adders;
        REQUIRE(solve(p, adders).depth <= lb.depth + 1);
    }
}
