// The transposed pipeline: optimize y^T = W^T·u (outputs become inputs), then reverse the
// adder graph (the transposition principle). Reversing every edge of a linear network computes
// the transposed map: a node that fanned out to k consumers becomes a sum of k terms, an adder
// becomes a fan-out. Pair CSE sees different patterns on the two sides (patterns of outputs
// instead of inputs), so the reversed graph is sometimes the smaller one.
#include <fixvar/cmvm/cse.hpp>
#include <fixvar/cmvm/sum_tree.hpp>
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <tuple>

namespace fixvar::cmvm {
namespace {

// Sum of the terms: the two of smallest depth (or smallest MSB: cheaper carry chains) first.
std::optional<Term> sum_terms(Builder& b, std::vector<Term> ts, bool by_depth) {
    ts = folded(ts);
    auto key = [&](const Term& t) {
        return by_depth ? std::tuple(b.depth(t), b.msb(t), b.lsb(t), t.id, t.shift)
                        : std::tuple(b.msb(t), b.depth(t), b.lsb(t), t.id, t.shift);
    };
    while (ts.size() > 1) {
        std::sort(ts.begin(), ts.end(), [&](const Term& x, const Term& y) { return key(x) < key(y); });
        Term t = b.combine(ts[0], ts[1]);
        ts.erase(ts.begin(), ts.begin() + 2);
        fold_term(ts, t);
    }
    if (ts.empty()) return std::nullopt;
    return ts[0];
}

// Reverses s (a graph for W^T) into one for W: node u of s becomes the sum of the terms its
// consumers contribute, built by sum(builder, terms, u). depth[u]: the depth of u's sum (-1: the
// terms cancelled).
template <class Sum>
Solution reverse_graph(const IntProblem& p, const Solution& s, Sum sum, std::vector<int>& depth) {
    const int nodes = s.n + s.adder_count();
    depth.assign(std::size_t(nodes), -1);
    std::vector<std::vector<Term>> contrib(static_cast<std::size_t>(nodes));
    for (int j = 0; j < int(s.outputs.size()); ++j) {
        const OutputRef& o = s.outputs[j];
        if (o.node < 0) continue;
        contrib[o.node].push_back(Term{j, o.shift, o.negate ? -1 : 1});
    }
    Builder b(p);
    for (int k = s.adder_count() - 1; k >= 0; --k) {
        const Adder& a = s.adders[k];
        std::optional<Term> tk = sum(b, std::move(contrib[s.n + k]), s.n + k);
        contrib[s.n + k].clear();
        if (!tk) continue;
        depth[s.n + k] = b.depth(*tk);
        contrib[a.a].push_back(*tk);
        contrib[a.b].push_back(Term{tk->id, tk->shift + a.shift, tk->sign * (a.sub ? -1 : 1)});
    }
    std::vector<std::optional<Term>> out(p.m);
    for (int c = 0; c < p.m; ++c) {
        out[c] = sum(b, std::move(contrib[c]), c);
        if (out[c]) depth[c] = b.depth(*out[c]);
    }
    return b.finish(out, p.exp);
}

}  // namespace

std::optional<Solution> run_transposed(const IntProblem& p, const Variant& v) {
    IntProblem t;
    t.n = p.m;
    t.m = p.n;
    t.exp = 0;
    t.w.assign(std::size_t(t.n) * t.m, 0);
    for (int r = 0; r < p.n; ++r)
        for (int c = 0; c < p.m; ++c) t.w[std::size_t(c) * t.m + r] = p.at(r, c);
    // Widths only steer the transposed run's scores: every transposed input is an 8-bit signal.
    t.in.assign(t.n, ExactRange{-128, 127, 0});
    Variant tv = v;
    tv.max_depth = -1;  // the reversed graph's depth is checked below
    // Under a depth bound the reversed sums combine the shallowest terms first (most reversed
    // graphs then meet the bound); without one, the two of smallest MSB.
    const bool by_depth = v.max_depth >= 0;
    std::optional<Solution> st = run_variant(t, tv);
    if (!st) return std::nullopt;
    const Solution& s = *st;
    // Pass 1: shallowest terms first (minimal depth per node) or MSB-first when unbounded.
    std::vector<int> d1;
    Solution r = reverse_graph(p, s, [&](Builder& b, std::vector<Term> ts, int) {
        return sum_terms(b, std::move(ts), by_depth);
    }, d1);
    if (v.alap_sums) {
        // Pass 2: every sum width-aware (sum_narrowest) within D1 + slack, where the slack of a
        // reversed node is the least spare depth (bound - pass-1 depth) of the outputs it feeds.
        // Each node's terms then fit its budget by Kraft: they are at most `slack` deeper than
        // in pass 1, whose sums had depth D1, so their Kraft sum is <= 2^(D1 + slack).
        const int nodes = s.n + s.adder_count();
        std::vector<int> slack(std::size_t(nodes), 60);
        if (v.max_depth >= 0) {
            for (int c = 0; c < s.n; ++c) slack[c] = d1[c] < 0 ? 60 : v.max_depth - d1[c];
            for (int k = 0; k < s.adder_count(); ++k)
                slack[s.n + k] = std::min(slack[s.adders[k].a], slack[s.adders[k].b]);
        }
        std::vector<int> d2;
        Solution r2 = reverse_graph(p, s, [&](Builder& b, std::vector<Term> ts, int u) {
            int budget = v.max_depth < 0 || d1[u] < 0 ? 60 : std::min(60, d1[u] + slack[u]);
            return sum_narrowest(b, std::move(ts), budget);
        }, d2);
        if (r2.cost < r.cost) r = std::move(r2);
    }
    if (v.max_depth >= 0) {
        std::vector<int> depth(std::size_t(r.n + r.adder_count()), 0);
        int dmax = 0;
        for (int k = 0; k < r.adder_count(); ++k) {
            depth[r.n + k] = 1 + std::max(depth[r.adders[k].a], depth[r.adders[k].b]);
            dmax = std::max(dmax, depth[r.n + k]);
        }
        if (dmax > v.max_depth) return std::nullopt;
    }
    return r;
}

}  // namespace fixvar::cmvm
