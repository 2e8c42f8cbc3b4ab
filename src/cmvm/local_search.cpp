// Large-neighbourhood search on a finished adder graph (see local_search.hpp).
#include "pair_cse.hpp"
#include "transpose.hpp"
#include "local_search.hpp"
#include "core/mix.hpp"
#include <fixvar/core/error.hpp>
#include <fixvar/core/parallel.hpp>

#include <algorithm>
#include <climits>
#include <optional>
#include <tuple>

namespace fixvar::cmvm {
namespace {

using Rng = SplitMix64;

// Outputs a neighbourhood holds: with fewer than 4 a repair almost never finds sharing the
// graph lacks; above 16 sub-problems re-solve slower and, greedily, no better than the whole.
constexpr int kMinOutputs = 4, kMaxOutputs = 16;

// A neighbourhood's sums as a problem of their own: q over the leaves, rows[r] = (graph node,
// the shift q's row r stands at).
struct SubProblem {
    IntProblem q;
    std::vector<std::pair<int, int>> rows;
};

// The repair's final sums: adders with one consumer, an output or another final sum (per node
// of rs, whose first qn nodes are inputs).
std::vector<char> final_sums(const Solution& rs, int qn) {
    FIXVAR_ASSERT(rs.n == qn);
    const int rn = qn + rs.adder_count();
    const std::vector<int> uses = reader_counts(rs);
    std::vector<char> flat(static_cast<std::size_t>(rn), 0);
    for (int k = rs.adder_count() - 1; k >= 0; --k) {
        const int rid = qn + k;
        bool root = false;
        for (const OutputRef& r : rs.outputs) root = root || r.node == rid;
        if (uses[rid] == 1 && (root || flat[rid])) {
            flat[rid] = 1;
            const Adder& x = rs.adders[k];
            if (x.a >= qn && uses[x.a] == 1) flat[x.a] = 1;
            if (x.b >= qn && uses[x.b] == 1) flat[x.b] = 1;
        }
    }
    return flat;
}

// The repair's output r as terms over graph nodes: its final sums opened up, other repair nodes
// mapped through rmap.
std::vector<Term> final_sum_terms(const OutputRef& r, const Solution& rs, int qn, const std::vector<char>& flat,
                                  const std::vector<Term>& rmap) {
    std::vector<Term> ts, stack{Term{r.node, r.shift, r.negate ? -1 : 1}};
    while (!stack.empty()) {
        Term t = stack.back();
        stack.pop_back();
        if (flat[t.id]) {
            const Adder& x = rs.adders[t.id - qn];
            stack.push_back(Term{x.a, t.shift, t.sign});
            stack.push_back(Term{x.b, t.shift + x.shift, t.sign * (x.sub ? -1 : 1)});
        } else {
            fold_term(ts, Term{rmap[t.id].id, t.shift + rmap[t.id].shift, t.sign});
        }
    }
    return ts;
}

// A graph built adder by adder over the inputs of `like` (and its output count), each node's
// depth kept.
class GraphBuilder {
public:
    explicit GraphBuilder(const Solution& like) : n_(like.n), depth_(std::size_t(like.n), 0) {
        next.name = like.name;
        next.n = like.n;
        next.m = like.m;
    }

    // Appends a, returns its node id.
    int push(Adder a) {
        depth_.push_back(1 + std::max(depth_[a.a], depth_[a.b]));
        next.adders.push_back(a);
        return n_ + int(next.adders.size()) - 1;
    }

    // t1 + t2 as one adder (a negative result when both are negative).
    Term combine(const Term& t1, const Term& t2) {
        if (t1.sign > 0) return Term{push(Adder{t1.id, t2.id, t2.shift - t1.shift, t2.sign < 0}), t1.shift, 1};
        if (t2.sign > 0) return Term{push(Adder{t2.id, t1.id, t1.shift - t2.shift, true}), t2.shift, 1};
        return Term{push(Adder{t1.id, t2.id, t2.shift - t1.shift, false}), t1.shift, -1};
    }

    // The sum of ts, the two shallowest terms added first, again and again.
    OutputRef sum_shallowest_first(std::vector<Term> ts) {
        auto key = [&](const Term& t) { return std::tuple(depth_[t.id], t.id, t.shift, t.sign); };
        while (ts.size() > 1) {
            std::sort(ts.begin(), ts.end(), [&](const Term& x, const Term& y) { return key(x) < key(y); });
            Term t = combine(ts[0], ts[1]);
            ts.erase(ts.begin(), ts.begin() + 2);
            fold_term(ts, t);
        }
        return ts.empty() ? OutputRef{} : OutputRef{ts[0].id, ts[0].shift, ts[0].sign < 0};
    }

    Solution next;

private:
    int n_;
    std::vector<int> depth_;
};

class Chain {
public:
    Chain(const Solution& s, const LocalSearchOptions& o, std::uint64_t seed) : o_(o), rng_{seed}, cur_(s) {
        index();
        best_ = cur_;
    }

    Solution run() {
        for (int k = 0; k < o_.moves; ++k) move();
        return best_;
    }

private:
    // Per node, its depth and the set of outputs that reach it.
    void index() {
        depth_.assign(std::size_t(cur_.n), 0);
        for (const Adder& a : cur_.adders) depth_.push_back(1 + std::max(depth_[a.a], depth_[a.b]));
        const int nodes = cur_.n + cur_.adder_count();
        words_ = (cur_.m + 63) / 64;
        reach_.assign(std::size_t(nodes) * words_, 0);
        for (int c = 0; c < cur_.m; ++c)
            if (cur_.outputs[c].node >= 0)
                reach_[std::size_t(cur_.outputs[c].node) * words_ + c / 64] |= 1ULL << (c % 64);
        for (int k = cur_.adder_count() - 1; k >= 0; --k) {
            const Adder& a = cur_.adders[k];
            for (int w = 0; w < words_; ++w) {
                std::uint64_t bits = reach_[std::size_t(cur_.n + k) * words_ + w];
                reach_[std::size_t(a.a) * words_ + w] |= bits;
                reach_[std::size_t(a.b) * words_ + w] |= bits;
            }
        }
    }

    bool reached(int node, int c) const { return reach_[std::size_t(node) * words_ + c / 64] >> (c % 64) & 1; }

    // One output and kMinOutputs - 1 to kMaxOutputs - 1 others, preferring those sharing more of
    // its adders.
    std::vector<int> pick_outputs() {
        std::vector<int> seeds;
        for (int c = 0; c < cur_.m; ++c)
            if (cur_.outputs[c].node >= cur_.n) seeds.push_back(c);
        if (seeds.empty()) return {};
        const int k = kMinOutputs + rng_.below(kMaxOutputs - kMinOutputs + 1);
        const int o = seeds[std::size_t(rng_.below(int(seeds.size())))];
        std::vector<int> out{o};
        std::vector<int> shared(std::size_t(cur_.m), 0);
        for (int a = 0; a < cur_.adder_count(); ++a) {
            const int id = cur_.n + a;
            if (!reached(id, o)) continue;
            for (int w = 0; w < words_; ++w)
                for (std::uint64_t bits = reach_[std::size_t(id) * words_ + w]; bits; bits &= bits - 1)
                    ++shared[std::size_t(w * 64 + __builtin_ctzll(bits))];
        }
        std::vector<std::pair<double, int>> cand;
        for (int c = 0; c < cur_.m; ++c)
            if (c != o && shared[c] > 0)
                cand.emplace_back(-double(shared[c]) * (1.0 + double(rng_.next() % 1024) / 1024.0), c);
        std::sort(cand.begin(), cand.end());
        for (std::size_t i = 0; i < cand.size() && int(out.size()) < k; ++i) out.push_back(cand[i].second);
        return out;
    }

    Variant repair_variant() {
        Variant v;
        v.score = rng_.next() % 2 ? Score::Count : Score::OverlapLess1;
        v.reduce = Reduce::WidthFirst;
        v.seed = rng_.next() | 1;
        v.recode = true;
        v.pair_window = 16;
        v.lookahead = 32;
        v.common = true;
        v.msd_sweeps = 1;
        return v;
    }

    // One move: remove the adders only a neighbourhood of outputs reaches, re-solve their sums
    // over the remaining nodes, and keep the spliced graph when it is no larger.
    void move() {
        const std::vector<int> S = pick_outputs();
        if (S.empty()) return;
        int removed = 0;
        const std::vector<char> removable = removable_adders(S, removed);
        if (removed == 0) return;
        std::optional<SubProblem> sub = sub_problem(output_leaf_sums(S, removable));
        if (!sub) return;
        std::optional<Solution> best = run_transposed(sub->q, two_sided_repair_variant());
        if (!best || best->adder_count() > removed) return;
        Solution next = splice(S, removable, *sub, *best);
        if (o_.max_depth >= 0 && adder_depth(next) > o_.max_depth) return;
        // Equal counts are accepted too (a walk on the plateau: a re-solved region changes
        // what later moves can share); the best graph seen is kept.
        if (next.adder_count() > cur_.adder_count()) return;
        cur_ = std::move(next);
        index();
        if (cur_.adder_count() < best_.adder_count()) best_ = cur_;
    }

    // Removable: adders only S's outputs reach (per node id; `removed` counts them).
    std::vector<char> removable_adders(const std::vector<int>& S, int& removed) const {
        std::vector<std::uint64_t> mask(std::size_t(words_), 0);
        for (int c : S) mask[std::size_t(c / 64)] |= 1ULL << (c % 64);
        const int n = cur_.n, A = cur_.adder_count();
        std::vector<char> removable(std::size_t(n + A), 0);
        for (int k = 0; k < A; ++k) {
            bool inside = true;
            for (int w = 0; w < words_ && inside; ++w)
                inside = (reach_[std::size_t(n + k) * words_ + w] & ~mask[w]) == 0;
            if (inside) removable[n + k] = 1, removed += 1;
        }
        return removable;
    }

    // Each output of S as a sum of leaves (kept nodes and inputs), the removable adders expanded.
    std::vector<std::vector<Term>> output_leaf_sums(const std::vector<int>& S,
                                                    const std::vector<char>& removable) const {
        const int n = cur_.n, A = cur_.adder_count();
        std::vector<std::vector<Term>> expand(std::size_t(n + A));
        auto terms_of = [&](int id) { return removable[id] ? expand[id] : std::vector<Term>{Term{id, 0, 1}}; };
        for (int k = 0; k < A; ++k) {
            if (!removable[n + k]) continue;
            const Adder& a = cur_.adders[k];
            std::vector<Term> ts = terms_of(a.a);
            for (const Term& t : terms_of(a.b)) fold_term(ts, scaled(t, a.shift, a.sub ? -1 : 1));
            expand[n + k] = std::move(ts);
        }
        std::vector<std::vector<Term>> cols;
        for (int c : S) {
            const OutputRef& r = cur_.outputs[c];
            std::vector<Term> ts;
            for (const Term& t : terms_of(r.node)) fold_term(ts, scaled(t, r.shift, r.negate ? -1 : 1));
            cols.push_back(std::move(ts));
        }
        return cols;
    }

    // The sub-problem over the leaves of `cols` (one column per output of S): rows are the leaves,
    // each at the lowest shift it is used at. None when a weight would not fit 64 bits.
    std::optional<SubProblem> sub_problem(const std::vector<std::vector<Term>>& cols) const {
        std::vector<std::pair<int, int>> leaves;  // (id, min shift)
        for (const auto& ts : cols)
            for (const Term& t : ts) leaves.emplace_back(t.id, t.shift);
        std::sort(leaves.begin(), leaves.end());
        SubProblem sub;
        auto& rows = sub.rows;
        for (auto& l : leaves)
            if (rows.empty() || rows.back().first != l.first) rows.push_back(l);
        IntProblem& q = sub.q;
        q.n = int(rows.size());
        q.m = int(cols.size());
        q.w.assign(std::size_t(q.n) * q.m, 0);
        for (int c = 0; c < q.m; ++c)
            for (const Term& t : cols[c]) {
                int r = int(std::lower_bound(rows.begin(), rows.end(), std::pair(t.id, INT_MIN)) - rows.begin());
                int sh = t.shift - rows[r].second;
                if (sh > 60) return std::nullopt;
                std::int64_t v = std::int64_t(t.sign) * (std::int64_t(1) << sh);
                if (__builtin_add_overflow(q.w[std::size_t(r) * q.m + c], v, &q.w[std::size_t(r) * q.m + c]))
                    return std::nullopt;
            }
        // Widths only steer the repair's tie-breaks (as in run_transposed): 8-bit leaves.
        q.in.assign(std::size_t(q.n), ExactRange{-128, 127, 0});
        // The leaves' depths, so that the repair's sums keep the bound.
        for (const auto& [leaf, sh] : rows) q.in_depth.push_back(depth_[std::size_t(leaf)]);
        return sub;
    }

    // Repair: a seeded two-sided run (two_sided.cpp) on the sub-problem. (One-sided repairs
    // rarely match the removed count: as half the moves, 26 adders fewer gained.)
    Variant two_sided_repair_variant() {
        Variant v = repair_variant();
        v.transposed = true;
        v.split_count = 2 + rng_.below(3);
        v.out_first = rng_.next() % 2;
        v.form_weight = FormWeight(rng_.below(3));
        // Reversed sums shallowest first (over the leaves' depths, in_depth); the graph's depth
        // is checked after the splice.
        v.max_depth = 60;
        return v;
    }

    // Splice: kept adders in order, then the repair's adders over the leaves. A repair node
    // is (graph node)·2^z (z: its first operand's), so every adder stays a ± b·2^s.
    Solution splice(const std::vector<int>& S, const std::vector<char>& removable, const SubProblem& sub,
                    const Solution& rs) const {
        const int n = cur_.n, A = cur_.adder_count();
        const IntProblem& q = sub.q;
        GraphBuilder g(cur_);
        std::vector<int> id(std::size_t(n + A), -1);
        for (int r = 0; r < n; ++r) id[r] = r;
        for (int k = 0; k < A; ++k) {
            if (removable[n + k]) continue;
            const Adder& a = cur_.adders[k];
            id[n + k] = g.push(Adder{id[a.a], id[a.b], a.shift, a.sub});
        }
        // The repair's final sums (adders with one consumer under an output) are summed again
        // shallowest terms first: its run saw the leaves at depth 0, the graph has them deeper.
        const std::vector<char> flat = final_sums(rs, q.n);
        std::vector<Term> rmap(flat.size());  // repair node -> Term{graph node, z}
        for (int r = 0; r < q.n; ++r) rmap[r] = Term{id[sub.rows[r].first], sub.rows[r].second, 1};
        for (int k = 0; k < rs.adder_count(); ++k) {
            if (flat[q.n + k]) continue;
            const Adder& x = rs.adders[k];
            const Term ta = rmap[x.a], tb = rmap[x.b];
            rmap[q.n + k] = Term{g.push(Adder{ta.id, tb.id, tb.shift + x.shift - ta.shift, x.sub}), ta.shift, 1};
        }
        std::vector<int> where(std::size_t(cur_.m), -1);
        for (int j = 0; j < q.m; ++j) where[S[j]] = j;
        for (int c = 0; c < cur_.m; ++c) {
            const OutputRef& r = where[c] >= 0 ? rs.outputs[where[c]] : cur_.outputs[c];
            if (r.node < 0)
                g.next.outputs.push_back(OutputRef{});
            else if (where[c] < 0)
                g.next.outputs.push_back(OutputRef{id[r.node], r.shift, r.negate});
            else
                g.next.outputs.push_back(g.sum_shallowest_first(final_sum_terms(r, rs, q.n, flat, rmap)));
        }
        return std::move(g.next);
    }

    LocalSearchOptions o_;
    Rng rng_;
    Solution cur_, best_;
    int words_ = 1;
    std::vector<std::uint64_t> reach_;
    std::vector<int> depth_;
};

}  // namespace

Solution local_search(const IntProblem& p, const Solution& s, const LocalSearchOptions& o) {
    const int chains = std::max(1, o.chains);
    std::vector<std::optional<Solution>> results(static_cast<std::size_t>(chains));
    parallel_for(std::size_t(chains), o.threads, [&](std::size_t c, int) {
        results[c] = Chain(s, o, o.seed * 0x2545f4914f6cdd1dULL + std::uint64_t(c) * 0x9e3779b97f4a7c15ULL + 7).run();
    });
    Solution best = s;
    analyze(best, p.in);
    for (auto& r : results) {
        analyze(*r, p.in);
        if (std::tuple(r->adder_count(), r->cost, r->depth) < std::tuple(best.adder_count(), best.cost, best.depth))
            best = std::move(*r);
    }
    return best;
}

}  // namespace fixvar::cmvm
