// The width-aware sums (term_sums.hpp) and the transposed pipeline's as-late-as-possible
// reversed sums: exact values, depth budgets kept, and never costlier than the simpler rule.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "cmvm/adder_graph.hpp"
#include "cmvm/pair_cse.hpp"
#include "cmvm/transpose.hpp"
#include <fixvar/cmvm/solve.hpp>
#include "cmvm/term_sums.hpp"

#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;

namespace {

// The linear form of sign·node·2^shift (shift >= 0), as input -> coefficient.
std::map<int, i128> form_of(const AdderGraph& b, const Term& t) {
    std::map<int, i128> f;
    for (auto& [r, c] : b.node(t.id).form) f[r] += i128(t.sign) * (i128(c) << t.shift);
    return f;
}

void add_into(std::map<int, i128>& acc, const std::map<int, i128>& f) {
    for (auto& [r, c] : f) acc[r] += c;
    std::erase_if(acc, [](const auto& kv) { return kv.second == 0; });
}

}  // namespace

TEST_CASE("sum_narrowest and sum_cheapest compute the sum within the depth budget") {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        Problem p = test::random_problem(seed, 2 + int(seed % 7), 1, 4, 0, 0);
        IntProblem ip = to_integer(p);
        std::mt19937_64 rng(seed);
        AdderGraph b(ip);
        // Leaves: inputs and a few two-input sums, at random shifts and signs.
        std::vector<Term> leaves;
        int k = 2 + int(rng() % 12);
        for (int q = 0; q < k; ++q) {
            Term t{int(rng() % std::uint64_t(ip.n)), int(rng() % 6), rng() % 2 ? 1 : -1};
            if (ip.n > 1 && rng() % 3 == 0) {
                Term u{int(rng() % std::uint64_t(ip.n)), int(rng() % 6), 1};
                if (!(u.id == t.id && u.shift == t.shift)) t = b.combine(t, u);
            }
            leaves.push_back(t);
        }
        std::map<int, i128> want;
        std::int64_t kraft = 0;
        for (const Term& t : folded(leaves)) kraft += std::int64_t(1) << b.depth(t);
        for (const Term& t : leaves) add_into(want, form_of(b, t));
        int budget = 0;
        while ((std::int64_t(1) << budget) < kraft) ++budget;
        CAPTURE(seed, k, budget);
        std::int64_t c_cheapest = 0;
        const AdderGraph::Mark before = b.mark();
        std::optional<Term> s1 = sum_cheapest(b, leaves, budget, &c_cheapest);
        // Only the cheapest rule's tree stays in the graph: its cost is the graph's growth, and
        // no more adders than a tree over the folded leaves has.
        REQUIRE(b.total_cost() - before.cost == c_cheapest);
        REQUIRE(std::size_t(b.size()) - before.nodes <= std::max<std::size_t>(folded(leaves).size(), 1) - 1);
        std::int64_t c0 = b.total_cost();
        std::optional<Term> s0 = sum_narrowest(b, leaves, budget);
        std::int64_t c_narrowest = b.total_cost() - c0;
        REQUIRE(c_cheapest <= c_narrowest);
        for (const std::optional<Term>& s : {s0, s1}) {
            if (want.empty()) {
                REQUIRE(!s);
                continue;
            }
            REQUIRE(s);
            REQUIRE(form_of(b, *s) == want);
            REQUIRE(b.depth(*s) <= budget);
        }
    }
}

TEST_CASE("AdderGraph::rollback drops the nodes made since the mark, and nothing else") {
    IntProblem ip = to_integer(test::random_problem(7, 4, 1, 5, 0, 0));
    AdderGraph b(ip);
    Term kept = b.combine(Term{0, 0, 1}, Term{1, 1, -1});
    const AdderGraph::Mark m = b.mark();
    const std::int64_t cost = b.total_cost();
    Term t = b.combine(kept, Term{2, 0, 1});
    b.combine(t, Term{3, 2, 1});
    REQUIRE(b.size() == int(m.nodes) + 2);
    b.rollback(m);
    REQUIRE(b.size() == int(m.nodes));
    REQUIRE(b.total_cost() == cost);
    // The kept node is intact and a rebuilt sum gets the same id back.
    REQUIRE(form_of(b, kept) == std::map<int, i128>{{0, 1}, {1, -2}});
    REQUIRE(b.combine(kept, Term{2, 0, 1}).id == t.id);
}

TEST_CASE("the transposed pipeline's width-aware reversed sums are exact, meet the bound and never cost more") {
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        Problem p =
            test::random_problem(seed, 2 + int(seed % 9), 1 + int(seed * 7 % 11), 2 + int(seed % 7), int(seed % 3));
        IntProblem ip = to_integer(p);
        LowerBound lb = lower_bound(p);
        for (int md : {-1, lb.depth + 1, lb.depth + 2}) {
            for (bool wide : {false, true}) {
                Variant v;
                v.score = Score::Bits;
                v.max_depth = md;
                v.recode = true;
                v.lookahead = 8;
                v.pair_window = 16;
                v.msd_sweeps = 1;
                v.transposed = true;
                v.out_widths = wide;
                std::optional<Solution> plain = run_transposed(ip, v);
                v.alap_sums = true;
                std::optional<Solution> s = run_transposed(ip, v);
                CAPTURE(seed, md, wide);
                REQUIRE(bool(s) == bool(plain));  // the first pass is the plain reversal
                if (!s) continue;
                s->name = p.name;
                REQUIRE(verify(*s, p, 24, seed));
                if (md >= 0) REQUIRE(s->depth <= md);
                REQUIRE(s->cost <= plain->cost);
            }
        }
    }
}
