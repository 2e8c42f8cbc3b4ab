// Post-pass: re-associate single-use sums. Greedy extraction builds a shared k-term pattern as
// a chain ((a + b) + c) + d in the order the pair counts dictated, and an output's tree stacks on
// top of patterns used only there. Every maximal subtree of adders whose inner nodes have one
// consumer computes a fixed value (its root's exact linear form), so only the inner adders'
// widths depend on the order: the subtree is flattened into its leaf terms and summed again
// (the cheapest of sum_cheapest's pairing rules: narrow sums first, cheaper carry chains), never
// deeper than before; the cheaper of the new and the old shape is kept per subtree.
#include "reassociate.hpp"
#include "pair_cse.hpp"
#include "term_sums.hpp"
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <climits>
#include <tuple>

namespace fixvar::cmvm {
namespace {

// A subtree's leaves summed anew (sum_cheapest, never deeper than `depth`) or its old shape
// (build_old), whichever costs less. The shape not kept is rolled back (AdderGraph::mark): the new
// sum is built first, and when the old shape wins both are dropped and the old one (a few adders)
// is built again.
template <class BuildOld>
std::optional<Term> cheaper_shape(AdderGraph& b, const std::vector<Term>& leaves, int depth, BuildOld build_old) {
    const AdderGraph::Mark start = b.mark();
    std::int64_t c_new = 0;
    std::optional<Term> fresh = sum_cheapest(b, leaves, depth, &c_new);
    const bool fresh_ok = fresh && b.depth(*fresh) <= depth;
    if (fresh_ok && leaves.size() <= 2) return fresh;
    if (!fresh_ok) {
        b.rollback(start);
        return build_old();
    }
    const AdderGraph::Mark with_fresh = b.mark();
    build_old();
    if (c_new <= b.total_cost() - with_fresh.cost) {
        b.rollback(with_fresh);
        return fresh;
    }
    b.rollback(start);
    return build_old();
}

}  // namespace

Solution reassociate(const IntProblem& p, const Solution& s) {
    const int n = s.n, na = s.adder_count(), total = n + na;
    const std::vector<int> uses = reader_counts(s);
    std::vector<int> depth(static_cast<std::size_t>(total), 0);
    std::vector<char> is_out(static_cast<std::size_t>(total), 0);
    for (int k = 0; k < na; ++k) depth[n + k] = 1 + std::max(depth[s.adders[k].a], depth[s.adders[k].b]);
    for (const OutputRef& o : s.outputs)
        if (o.node >= 0) is_out[o.node] = 1;
    // An adder is inlined into its consumer when it has exactly one consumer, an adder.
    auto inlined = [&](int id) { return id >= n && uses[id] == 1 && !is_out[id]; };
    AdderGraph b(p);
    std::vector<std::optional<Term>> built(static_cast<std::size_t>(total));
    for (int r = 0; r < n; ++r) built[r] = Term{r, 0, 1};
    std::vector<Term> leaves;
    // Leaves of the single-use subtree under `id`, each times sign·2^shift.
    auto collect = [&](auto&& self, int id, int shift, int sign) -> void {
        if (!inlined(id) || id < n) {
            const std::optional<Term>& t = built[id];
            if (t) leaves.push_back(scaled(*t, shift, sign));
            return;
        }
        const Adder& a = s.adders[id - n];
        self(self, a.a, shift, sign);
        self(self, a.b, shift + a.shift, sign * (a.sub ? -1 : 1));
    };
    // The old shape of the subtree under adder `a` (rebuilt as it was).
    auto rebuild = [&](auto&& self, const Adder& a) -> std::optional<Term> {
        auto part = [&](int id) { return id < n || !inlined(id) ? built[id] : self(self, s.adders[id - n]); };
        std::optional<Term> x = part(a.a), y = part(a.b);
        if (y) y = scaled(*y, a.shift, a.sub ? -1 : 1);
        if (!x) return y;
        if (!y) return x;
        return b.combine(*x, *y);
    };
    for (int k = 0; k < na; ++k) {
        const int id = n + k;
        if (inlined(id)) continue;
        // Root of a subtree: compare the re-associated sum with the old shape.
        leaves.clear();
        const Adder& a = s.adders[k];
        collect(collect, a.a, 0, 1);
        collect(collect, a.b, a.shift, a.sub ? -1 : 1);
        built[id] = cheaper_shape(b, leaves, depth[id], [&] { return rebuild(rebuild, a); });
    }
    std::vector<std::optional<Term>> out(s.outputs.size());
    for (std::size_t c = 0; c < s.outputs.size(); ++c) {
        const OutputRef& o = s.outputs[c];
        if (o.node < 0 || !built[o.node]) continue;
        const Term& t = *built[o.node];
        // Output c = ±node·2^shift, where shift already includes the problem's exponent.
        out[c] = Term{t.id, t.shift + o.shift - p.exp, t.sign * (o.negate ? -1 : 1)};
    }
    return b.finish(out, p.exp);
}

}  // namespace fixvar::cmvm
