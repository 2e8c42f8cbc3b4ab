// Two-sided extraction (run_two_sided): alternating input-side and output-side phases on one
// residual must stay exact on any shape, scale and format, in both orientations, and a
// partial run must leave sums that add up to the problem's columns.
#include <catch2/catch.hpp>

#include "cmvm/adder_graph.hpp"
#include <fixvar/core/csd.hpp>
#include "cmvm/pair_cse.hpp"
#include <fixvar/cmvm/solve.hpp>

#include "checked_run.hpp"
#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;

TEST_CASE("two-sided extraction keeps every solution exact") {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        Problem p = test::random_problem(seed + 100, 2 + int(seed % 13), 1 + int(seed * 7 % 17), 2 + int(seed % 9),
                                         int(seed % 3), int(seed * 11 % 60));
        IntProblem ip = to_integer(p);
        LowerBound lb = lower_bound(p);
        for (int k : {2, 4, 9}) {
            for (int md : {-1, lb.depth + 1}) {
                Variant v;
                v.score = seed % 2 ? Score::Bits : Score::Count;
                v.recode = true;
                v.msd_sweeps = 1;
                v.lookahead = seed % 3 ? 32 : 0;
                v.common = true;
                v.pair_window = 16;
                v.split_count = k;
                v.max_depth = md;
                v.transposed = (seed + std::uint64_t(k)) % 2 == 0;
                CAPTURE(seed, k, md, v.transposed);
                test::checked_run(p, ip, v, seed);
            }
        }
    }
}

TEST_CASE("a partial run's remaining sums are the problem's columns") {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        Problem p = test::random_problem(seed + 300, 3 + int(seed % 7), 2 + int(seed % 5), 6);
        IntProblem ip = to_integer(p);
        Variant v;
        v.score = Score::Count;
        v.recode = true;
        v.min_count = 2 + int(seed % 3);
        std::optional<PartialCse> pc = run_partial(ip, v);
        REQUIRE(pc);
        for (int c = 0; c < ip.m; ++c) {
            std::vector<i128> sum(std::size_t(ip.n), 0);
            for (const Term& t : pc->exprs[std::size_t(c)])
                for (auto& [r, coef] : pc->builder.node(t.id).form) {
                    REQUIRE(t.shift >= 0);
                    sum[std::size_t(r)] += i128(t.sign) * i128(coef) * (i128(1) << t.shift);
                }
            for (int r = 0; r < ip.n; ++r) REQUIRE(sum[std::size_t(r)] == i128(ip.at(r, c)));
        }
        REQUIRE(pc->max_count >= 0);  // counts overlapping occurrences: may reach min_count
    }
}

TEST_CASE("output-side-first rounds and form weights keep solutions exact") {
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        Problem p = test::random_problem(seed + 500, 2 + int(seed % 11), 1 + int(seed * 5 % 15), 2 + int(seed % 8),
                                         int(seed % 3), int(seed * 13 % 50));
        IntProblem ip = to_integer(p);
        LowerBound lb = lower_bound(p);
        for (FormWeight fw : {FormWeight::Linear, FormWeight::Threshold, FormWeight::Square}) {
            for (bool hybrid : {false, true}) {
                Variant v;
                v.score = Score::Bits;
                v.recode = true;
                v.msd_sweeps = 1;
                v.form_weight = fw;
                v.lookahead = 32;
                v.common = true;
                v.pair_window = 16;
                v.split_count = hybrid ? 2 + int(seed % 7) : 0;
                v.out_first = hybrid && seed % 2 == 0;
                v.max_depth = seed % 3 ? lb.depth + 1 : -1;
                v.transposed = seed % 4 < 2;
                CAPTURE(seed, int(fw), hybrid, v.out_first, v.transposed);
                test::checked_run(p, ip, v, seed);
            }
        }
    }
}
