// The structural options of the CSE engine, each run alone: re-coding of raw residuals,
// minimal-signed-digit form sweeps, lookahead among tied patterns, the transposed pipeline and
// the re-association post-pass.
#include <catch2/catch.hpp>

#include "cmvm/adder_graph.hpp"
#include "cmvm/pair_cse.hpp"
#include "cmvm/reassociate.hpp"
#include <fixvar/cmvm/solve.hpp>

#include "checked_run.hpp"
#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;

namespace {

std::vector<Variant> structural_variants(int max_depth) {
    std::vector<Variant> vs;
    for (int k = 0; k < 6; ++k) {
        Variant v;
        v.score = k % 2 ? Score::Count : Score::Overlap;
        v.decompose_level = k % 3 == 2 ? 2 : -1;
        v.edge_penalty = 1;
        v.max_depth = max_depth;
        v.recode = k != 5;
        v.msd_sweeps = k >= 3 ? 1 : 0;
        v.lookahead = k >= 2 ? 8 : 0;
        v.la_tol = k == 4 ? 20 : 0;
        v.common = k >= 3;
        v.transposed = k == 1 || k == 4;
        v.pair_window = k % 2 ? 16 : 0;
        vs.push_back(v);
    }
    return vs;
}

}  // namespace

TEST_CASE("re-coding, MSD sweeps, lookahead and transposition keep every solution exact") {
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        Problem p =
            test::random_problem(seed, 2 + int(seed % 9), 1 + int(seed * 7 % 11), 2 + int(seed % 9), int(seed % 3));
        IntProblem ip = to_integer(p);
        LowerBound lb = lower_bound(p);
        for (int md : {-1, lb.depth + 1}) {
            for (const Variant& v : structural_variants(md)) {
                CAPTURE(seed, md, v.recode, v.msd_sweeps, v.lookahead, v.transposed);
                std::optional<Solution> s = test::checked_run(p, ip, v, seed);
                if (!s) continue;
                Solution r = reassociate(ip, *s);
                r.name = p.name;
                REQUIRE(verify(r, p, 24, seed));
                REQUIRE(r.depth <= s->depth);
                REQUIRE(r.cost <= s->cost);
            }
        }
    }
}

TEST_CASE("re-coding finds occurrences CSD hides") {
    // Columns 2x0 + x1, 2x0 + 9x1 and 6x0 + 2x1 (CSD 8x0 - 2x0 + 2x1): the pattern 2x0 + x1
    // occurs twice in CSD form, and once more after re-coding 6 = 4 + 2 in the third column.
    Problem p;
    p.name = "recode";
    p.n = 2;
    p.m = 3;
    p.inputs = {kif{1, 7, 0}, kif{1, 7, 0}};
    for (std::int64_t w : {2, 2, 6, 1, 9, 2}) p.weights.push_back(Dyadic::make(w, 0));
    IntProblem ip = to_integer(p);
    Variant plain, recode;
    plain.score = recode.score = Score::Count;
    recode.recode = true;
    std::optional<Solution> a = run_variant(ip, plain), b = run_variant(ip, recode);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(verify(*b, p));
    REQUIRE(b->adder_count() < a->adder_count());
}
