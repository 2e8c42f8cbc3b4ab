// Two-sided extraction. Input-side pair CSE shares sums of inputs (a pattern x_a + x_b<<d
// in k outputs saves k - 1 adders); the same CSE on the transposed residual shares sums common
// to several outputs (k common terms of two outputs save k - 1 adders), which input-side
// count-2 patterns only find one pair at a time. Here the two sides alternate on one residual
// matrix, the patterns of at least t occurrences first, t = split_count down to 2:
//   input side:  y = s·M  ->  s' = nodes over s,            y = s'·M'
//   output side: M^T = N·R (transposed CSE)  ->  y = (s·R^T)·N^T, N^T applied at the end by
//                reversing the transposed node graph (transposition principle).
// Every phase is an ordinary partial run (run_partial) on an integer matrix whose rows are
// the current sources; the final residual is summed per column. With out_first each round
// starts with the output side (another order of the same choices: a different result).
#include <fixvar/core/csd.hpp>
#include "two_sided.hpp"
#include "pair_cse.hpp"
#include "transpose.hpp"
#include "term_sums.hpp"
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <climits>
#include <tuple>

namespace fixvar::cmvm {
namespace {

// The residual: sinks (columns) = sum over rows r of src[r]·w[r][c].
struct Residual {
    int rows = 0, cols = 0;
    std::vector<Term> src;
    std::vector<std::int64_t> w;  // rows x cols
};

// An output-side phase, kept to be undone at the end: the transposed node graph (value of
// node k = sa·a + sb·b·2^d over the phase's columns) and, per new column j, its node and scale.
struct Frame {
    int cols = 0;  // columns before the phase (the transposed inputs)
    struct N {
        int a, b, d, sa, sb;
    };
    std::vector<N> nodes;                    // index k - cols for node id k >= cols
    std::vector<std::pair<int, int>> sinks;  // new column j: (node id, shift)
};

// Rebuilds the residual from a partial run's remaining sums: one row per node id still used
// (scaled by the smallest shift it is used at, so every entry is an integer).
template <class SrcOf>
Residual regroup(const std::vector<std::vector<Term>>& exprs, bool by_row, int other, SrcOf src_of,
                 std::vector<std::pair<int, int>>& used) {
    used.clear();
    for (const auto& ts : exprs)
        for (const Term& t : ts) used.emplace_back(t.id, t.shift);
    std::sort(used.begin(), used.end());
    std::vector<std::pair<int, int>> ids;  // (id, min shift)
    for (auto& [id, s] : used)
        if (ids.empty() || ids.back().first != id) ids.emplace_back(id, s);
    used = ids;
    Residual r;
    const int k = int(ids.size());
    r.rows = by_row ? k : other;
    r.cols = by_row ? other : k;
    r.w.assign(std::size_t(r.rows) * r.cols, 0);
    for (int e = 0; e < int(exprs.size()); ++e)
        for (const Term& t : exprs[e]) {
            int j = int(std::lower_bound(ids.begin(), ids.end(), std::pair(t.id, INT_MIN)) - ids.begin());
            int s = t.shift - ids[j].second;
            if (s >= 62) coefficient_overflow();
            std::int64_t v = (t.sign > 0 ? std::int64_t(1) : std::int64_t(-1)) << s;
            std::int64_t& x = by_row ? r.w[std::size_t(j) * r.cols + e] : r.w[std::size_t(e) * r.cols + j];
            if (__builtin_add_overflow(x, v, &x)) coefficient_overflow();
        }
    if (by_row)
        for (int j = 0; j < k; ++j) r.src.push_back(src_of(ids[j].first, ids[j].second));
    return r;
}

// Lookahead of the count-2 phases: there every pattern saves one adder and hundreds tie, so
// choosing among more of them (larger common sums, fewer conflicts) is where it pays.
constexpr int kEndgameLookahead = 128;

Variant phase_variant(const Variant& v, int t) {
    Variant p = v;
    p.split_count = 0;
    p.transposed = false;
    p.min_count = t;
    p.max_depth = -1;
    p.decompose_level = -1;
    if (t == 2 && v.lookahead > 1) p.lookahead = std::max(p.lookahead, kEndgameLookahead);
    return p;
}

// Input side: nodes over the current sources; true when some pattern was extracted.
bool input_phase(AdderGraph& b, Residual& m, const Variant& v, int t, int& left) {
    IntProblem q;
    q.n = m.rows;
    q.m = m.cols;
    q.w = m.w;
    for (const Term& s : m.src) {
        const auto& nd = b.node(s.id);
        i128 lo = nd.lo, hi = nd.hi;
        if (s.sign < 0) std::tie(lo, hi) = std::pair(-hi, -lo);
        q.in.push_back(ExactRange{lo, hi, nd.rexp + s.shift});
    }
    std::optional<PartialCse> pc = run_partial(q, phase_variant(v, t));
    left = pc ? pc->max_count : 0;
    if (!pc || pc->builder.size() == q.n) return false;
    std::vector<Term> map(std::size_t(pc->builder.size()));
    for (int r = 0; r < q.n; ++r) map[r] = m.src[r];
    for (int k = q.n; k < pc->builder.size(); ++k) {
        const auto& nd = pc->builder.node(k);
        map[k] = b.combine(scaled(map[nd.a], 0, nd.sa), scaled(map[nd.b], nd.d, nd.sb));
    }
    std::vector<std::pair<int, int>> used;
    m = regroup(
        pc->exprs, true, q.m, [&](int id, int s) { return scaled(map[id], s, 1); }, used);
    return true;
}

// Output side: the transposed CSE over the columns; the phase is recorded in `frames`.
bool output_phase(Residual& m, const Variant& v, int t, std::vector<Frame>& frames, int& left) {
    IntProblem q;
    q.n = m.cols;
    q.m = m.rows;
    q.w.assign(m.w.size(), 0);
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c) q.w[std::size_t(c) * q.m + r] = m.w[std::size_t(r) * m.cols + c];
    q.in.assign(q.n, ExactRange{-128, 127, 0});  // widths only steer scores (as in run_transposed)
    std::optional<PartialCse> pc = run_partial(q, phase_variant(v, t));
    left = pc ? pc->max_count : 0;
    if (!pc || pc->builder.size() == q.n) return false;
    Frame f;
    f.cols = q.n;
    for (int k = q.n; k < pc->builder.size(); ++k) {
        const auto& nd = pc->builder.node(k);
        f.nodes.push_back(Frame::N{nd.a, nd.b, nd.d, nd.sa, nd.sb});
    }
    std::vector<Term> src = m.src;
    m = regroup(
        pc->exprs, false, q.m, [](int, int) { return Term{}; }, f.sinks);
    m.src = std::move(src);
    frames.push_back(std::move(f));
    return true;
}

// Undoes an output-side phase: the new columns' values -> the old columns' values.
std::vector<std::optional<Term>> unwind(AdderGraph& b, const Frame& f, const std::vector<std::optional<Term>>& sink) {
    const int total = f.cols + int(f.nodes.size());
    std::vector<std::vector<Term>> contrib(static_cast<std::size_t>(total));
    for (std::size_t j = 0; j < f.sinks.size(); ++j)
        if (sink[j]) contrib[f.sinks[j].first].push_back(scaled(*sink[j], f.sinks[j].second, 1));
    for (int k = total - 1; k >= f.cols; --k) {
        std::optional<Term> t = sum_ordered(b, std::move(contrib[k]), true);
        if (!t) continue;
        const Frame::N& nd = f.nodes[std::size_t(k - f.cols)];
        contrib[nd.a].push_back(scaled(*t, 0, nd.sa));
        contrib[nd.b].push_back(scaled(*t, nd.d, nd.sb));
    }
    std::vector<std::optional<Term>> out(f.cols);
    for (int c = 0; c < f.cols; ++c) out[c] = sum_ordered(b, std::move(contrib[c]), true);
    return out;
}

}  // namespace

std::optional<Solution> run_two_sided(const IntProblem& p, const Variant& v) {
    AdderGraph b(p);
    Residual m;
    m.rows = p.n;
    m.cols = p.m;
    m.w = p.w;
    for (int r = 0; r < p.n; ++r) m.src.push_back(Term{r, 0, 1});
    std::vector<Frame> frames;
    for (int t = std::max(2, v.split_count); t >= 2;) {
        // Rounds at count t until neither side finds a pattern; then the next count is the
        // most any pattern still has (thresholds nothing reaches are skipped, not re-counted).
        int next = t - 1;
        for (int round = 0; round < 4; ++round) {
            int left_in = 0, left_out = 0;
            bool any = v.out_first && output_phase(m, v, t, frames, left_out);
            if (m.rows == 0 || m.cols == 0) break;
            any = input_phase(b, m, v, t, left_in) || any;
            if (m.rows == 0 || m.cols == 0) break;
            if (!v.out_first) any = output_phase(m, v, t, frames, left_out) || any;
            if (!any) {
                next = std::min(next, std::max(left_in, left_out));
                break;
            }
        }
        if (t == 2) break;
        t = std::max(2, next);
    }
    std::vector<std::optional<Term>> cur(m.cols);
    for (int c = 0; c < m.cols; ++c) {
        std::vector<Term> ts;
        for (int r = 0; r < m.rows; ++r) {
            std::int64_t w = m.w[std::size_t(r) * m.cols + c];
            if (w)
                for (const SignedDigit& dg : csd(w)) ts.push_back(scaled(m.src[r], dg.pos, dg.sign));
        }
        cur[c] = sum_ordered(b, std::move(ts), true);
    }
    for (std::size_t k = frames.size(); k-- > 0;) cur = unwind(b, frames[k], cur);
    FIXVAR_ASSERT(int(cur.size()) == p.m);
    Solution s = b.finish(cur, p.exp);
    if (v.max_depth >= 0 && adder_depth(s) > v.max_depth) return std::nullopt;
    return s;
}

}  // namespace fixvar::cmvm
