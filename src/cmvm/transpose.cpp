// The transposed pipeline: optimize y^T = W^T·u (outputs become inputs), then reverse the
// adder graph (the transposition principle). Reversing every edge of a linear network computes
// the transposed map: a node that fanned out to k consumers becomes a sum of k terms, an adder
// becomes a fan-out. Pair CSE sees different patterns on the two sides (patterns of outputs
// instead of inputs), so the reversed graph is sometimes the smaller one.
#include "transpose.hpp"
#include "pair_cse.hpp"
#include "term_sums.hpp"
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <climits>
#include <tuple>

namespace fixvar::cmvm {
namespace {

// Reverses s (a graph for W^T) into one for W: node u of s becomes the sum of the terms its
// consumers contribute, built by sum(builder, terms, u). Per node u, `leaf[u]` lists each
// contributing adder v of s with the depth of its term inside u's sum tree (for the budgets).
struct Reversed {
    Solution s;
    std::vector<std::vector<std::pair<int, int>>> leaf;
};

template <class Sum>
Reversed reverse_graph(const IntProblem& p, const Solution& s, Sum sum) {
    const int nodes = s.n + s.adder_count();
    Reversed r;
    r.leaf.assign(std::size_t(nodes), {});
    std::vector<std::vector<Term>> contrib(static_cast<std::size_t>(nodes));
    std::vector<std::vector<int>> source(static_cast<std::size_t>(nodes));  // -1: an input of W
    for (int j = 0; j < int(s.outputs.size()); ++j) {
        const OutputRef& o = s.outputs[j];
        if (o.node < 0) continue;
        contrib[o.node].push_back(Term{j, o.shift, o.negate ? -1 : 1});
        source[o.node].push_back(-1);
    }
    AdderGraph b(p);
    std::vector<std::pair<int, int>> stack;
    // Sums node u's terms; records each source's leaf depth (the deepest, for a repeated id).
    auto build = [&](int u) -> std::optional<Term> {
        const int first = b.size();
        std::vector<Term> ts = std::move(contrib[u]);
        std::optional<Term> t = sum(b, ts, u);
        if (t) {
            std::vector<int> at(std::size_t(b.size()) - std::size_t(first), -1);
            std::vector<std::pair<int, int>> depth_of;  // leaf id -> tree depth
            stack.assign(1, {t->id, 0});
            while (!stack.empty()) {
                auto [id, k] = stack.back();
                stack.pop_back();
                if (id < first) {
                    depth_of.emplace_back(id, k);
                    continue;
                }
                const auto& nd = b.node(id);
                stack.emplace_back(nd.a, k + 1);
                stack.emplace_back(nd.b, k + 1);
            }
            for (std::size_t q = 0; q < ts.size(); ++q) {
                if (source[u][q] < 0) continue;
                int k = -1;
                for (auto& [id, d] : depth_of)
                    if (id == ts[q].id) k = std::max(k, d);
                if (k >= 0) r.leaf[u].emplace_back(source[u][q], k);
            }
        }
        contrib[u].clear();
        return t;
    };
    for (int k = s.adder_count() - 1; k >= 0; --k) {
        const Adder& a = s.adders[k];
        std::optional<Term> tk = build(s.n + k);
        if (!tk) continue;
        contrib[a.a].push_back(*tk);
        source[a.a].push_back(s.n + k);
        contrib[a.b].push_back(scaled(*tk, a.shift, a.sub ? -1 : 1));
        source[a.b].push_back(s.n + k);
    }
    std::vector<std::optional<Term>> out(p.m);
    for (int c = 0; c < p.m; ++c) out[c] = build(c);
    r.s = b.finish(out, p.exp);
    return r;
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
    // Widths only steer the transposed run's scores: every transposed input is an 8-bit signal,
    // or (out_widths) a signal as wide as W's output it stands for — the reversed graph sums
    // into W's outputs, so sharing between wide outputs saves more there.
    t.in.assign(t.n, ExactRange{-128, 127, 0});
    if (v.out_widths) {
        for (int c = 0; c < p.m; ++c) {
            int e0 = INT_MAX;
            for (int r = 0; r < p.n; ++r)
                if (p.at(r, c)) e0 = std::min(e0, p.in[r].exp);
            if (e0 == INT_MAX) continue;
            i128 lo = 0, hi = 0;
            bool ok = true;
            for (int r = 0; r < p.n && ok; ++r) {
                std::int64_t w = p.at(r, c);
                if (!w) continue;
                ok = p.in[r].exp - e0 <= 40;
                i128 k = ok ? i128(w) << (p.in[r].exp - e0) : 0;
                lo += std::min(k * p.in[r].lo, k * p.in[r].hi);
                hi += std::max(k * p.in[r].lo, k * p.in[r].hi);
            }
            if (!ok) continue;
            int w = std::clamp(signed_width(lo, hi), 2, 40);
            t.in[c] = ExactRange{-(i128(1) << (w - 1)), (i128(1) << (w - 1)) - 1, 0};
        }
    }
    Variant tv = v;
    tv.max_depth = -1;  // the reversed graph's depth is checked below
    // Under a depth bound the reversed sums combine the shallowest terms first (most reversed
    // graphs then meet the bound); without one, the two of smallest MSB.
    const bool by_depth = v.max_depth >= 0;
    std::optional<Solution> st = run_variant(t, tv);
    if (!st) return std::nullopt;
    const Solution& s = *st;
    // Pass 1: shallowest terms first (minimal depth per node) or MSB-first when unbounded.
    Reversed r1 = reverse_graph(
        p, s, [&](AdderGraph& b, std::vector<Term> ts, int) { return sum_ordered(b, std::move(ts), by_depth); });
    Solution r = std::move(r1.s);
    if (v.alap_sums) {
        // Pass 2: every sum width-aware (sum_cheapest) within an as-late-as-possible depth
        // budget: outputs get the bound, and a node v of s the least of (budget of u - depth of
        // v's term in u's pass-1 tree) over the sums u it feeds. The budgets of u's terms then
        // satisfy Kraft's inequality (sum of 2^budget <= 2^budget(u)), as pass 1's tree leaves
        // did, so every pass-2 sum meets its budget and the graph the bound.
        const int nodes = s.n + s.adder_count();
        std::vector<int> budget(std::size_t(nodes), 60);
        if (v.max_depth >= 0) {
            for (int c = 0; c < s.n; ++c) budget[c] = std::min(60, v.max_depth);
            // Consumers u of v (v's operands) have smaller ids: increasing ids see them first.
            std::vector<int> need(std::size_t(nodes), 60);
            for (int u = 0; u < nodes; ++u) {
                if (u >= s.n) budget[u] = need[u];
                for (auto& [src, k] : r1.leaf[u]) need[src] = std::min(need[src], budget[u] - k);
            }
        }
        Reversed r2 = reverse_graph(
            p, s, [&](AdderGraph& b, std::vector<Term> ts, int u) { return sum_cheapest(b, ts, budget[u]); });
        if (r2.s.cost < r.cost) r = std::move(r2.s);
    }
    if (v.max_depth >= 0 && adder_depth(r) > v.max_depth) return std::nullopt;
    return r;
}

}  // namespace fixvar::cmvm
