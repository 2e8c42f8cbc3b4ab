// Blocked solves (blocked.hpp): the split rule, the block problems and the sum of their graphs.
#include <algorithm>
#include <cstdint>

#include <fixvar/cmvm/memory.hpp>
#include <fixvar/core/csd.hpp>
#include <fixvar/core/error.hpp>

#include "blocked.hpp"
#include "memory_model.hpp"
#include "strategies.hpp"

namespace fixvar::cmvm {
namespace {

struct Block {
    int r0, r1, c0, c1;
};

// The block's integer problem, on the whole problem's scale (enough for the memory model).
IntProblem int_block(const IntProblem& ip, const Block& b) {
    IntProblem q;
    q.n = b.r1 - b.r0;
    q.m = b.c1 - b.c0;
    q.exp = ip.exp;
    q.in.assign(ip.in.begin() + b.r0, ip.in.begin() + b.r1);
    q.w.reserve(std::size_t(q.n) * std::size_t(q.m));
    for (int r = b.r0; r < b.r1; ++r)
        for (int c = b.c0; c < b.c1; ++c) q.w.push_back(ip.at(r, c));
    return q;
}

Problem problem_block(const Problem& p, const Block& b) {
    Problem q;
    q.name = fmt::format("{}[{}:{},{}:{}]", p.name, b.r0, b.r1, b.c0, b.c1);
    q.n = b.r1 - b.r0;
    q.m = b.c1 - b.c0;
    q.inputs.assign(p.inputs.begin() + b.r0, p.inputs.begin() + b.r1);
    if (!p.ranges.empty()) q.ranges.assign(p.ranges.begin() + b.r0, p.ranges.begin() + b.r1);
    for (int r = b.r0; r < b.r1; ++r)
        for (int c = b.c0; c < b.c1; ++c)
            q.weights.push_back(p.weights[std::size_t(r) * std::size_t(p.m) + std::size_t(c)]);
    return q;
}

// k contiguous ranges of [0, n) with about equal digit sums (weights[i]: digits of item i).
std::vector<int> balanced_cuts(const std::vector<std::int64_t>& weights, int k) {
    const int n = int(weights.size());
    k = std::clamp(k, 1, std::max(n, 1));
    std::int64_t total = 0;
    for (std::int64_t w : weights) total += w;
    std::vector<int> cuts{0};
    std::int64_t acc = 0;
    for (int i = 0; i < n && int(cuts.size()) < k; ++i) {
        acc += weights[std::size_t(i)];
        // Cut after item i once its prefix reaches the next share, leaving an item per block.
        const std::int64_t share = total * std::int64_t(cuts.size()) / k;
        if (acc >= share && n - (i + 1) >= k - int(cuts.size())) cuts.push_back(i + 1);
    }
    // Too few cuts (zeros at the end): spread the rest one item apart.
    while (int(cuts.size()) < k) cuts.push_back(cuts.back() + 1);
    cuts.push_back(n);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
}

enum class Fit { Yes, Memory, Size };

// Whether one run of q (traits t) fits the budget and the size limit.
Fit fits(const IntProblem& q, const ProblemTraits& t, std::uint64_t budget) {
    if (estimate_memory(q, t).total(1) > budget) return Fit::Memory;
    return t.column_pairs > kMaxRunPairs ? Fit::Size : Fit::Yes;
}

// The worst fit over the plan's blocks.
Fit fits(const IntProblem& ip, const Options& opt, std::uint64_t budget, const BlockPlan& plan) {
    Fit worst = Fit::Yes;
    for (int i = 0; i < plan.row_blocks(); ++i)
        for (int j = 0; j < plan.col_blocks(); ++j) {
            IntProblem q = int_block(ip, {plan.rows[i], plan.rows[i + 1], plan.cols[j], plan.cols[j + 1]});
            const Fit f = fits(q, problem_traits(q, opt), budget);
            if (f == Fit::Memory) return f;
            if (f == Fit::Size) worst = f;
        }
    return worst;
}

OutputRef sum_refs(Solution& s, const OutputRef& x, const OutputRef& y) {
    // ±x·2^sx ± y·2^sy = ±(x + (±)y·2^(sy - sx))·2^sx
    s.adders.push_back(Adder{x.node, y.node, y.shift - x.shift, x.negate != y.negate});
    return OutputRef{s.n + s.adder_count() - 1, x.shift, x.negate};
}

int ceil_log2(int k) {
    int l = 0;
    while ((1 << l) < k) ++l;
    return l;
}

}  // namespace

BlockPlan plan_blocks(const Problem& p, const IntProblem& ip, const ProblemTraits& t, const Options& opt) {
    BlockPlan plan{{0, ip.n}, {0, ip.m}, {}};
    if (!opt.split || opt.algorithm == Algorithm::Naive || ip.n == 0 || ip.m == 0) return plan;
    const std::uint64_t budget = opt.max_memory_bytes ? opt.max_memory_bytes : default_memory_budget();
    Fit fit = fits(ip, t, budget);  // the whole, on the traits solve() already has
    if (fit == Fit::Yes) return plan;
    plan.reason = fit == Fit::Memory ? "memory" : "size";
    std::vector<std::int64_t> row_digits(std::size_t(ip.n), 0), col_digits(std::size_t(ip.m), 0);
    for (int r = 0; r < ip.n; ++r)
        for (int c = 0; c < ip.m; ++c) {
            const int d = csd_weight(ip.at(r, c));
            row_digits[std::size_t(r)] += d;
            col_digits[std::size_t(c)] += d;
        }
    for (int rk = 2, ck = 1; fit != Fit::Yes;) {
        plan.rows = balanced_cuts(row_digits, rk);
        plan.cols = balanced_cuts(col_digits, ck);
        fit = fits(ip, opt, budget, plan);
        if (fit == Fit::Yes) break;
        if (plan.row_blocks() < ip.n)
            rk = std::min(2 * rk, ip.n);
        else if (plan.col_blocks() < ip.m)
            ck = std::min(2 * ck, ip.m);
        else
            fail("cmvm",
                 "problem '{}' ({} x {}) is over the memory budget of {} even split into single "
                 "weights (one optimizer run of the whole needs about {}); raise the budget "
                 "(Options::max_memory_bytes, fixvar cmvm --max-memory) or use the naive algorithm",
                 p.name, p.n, p.m, format_bytes(budget), format_bytes(estimate_memory(ip, t).total(1)));
    }
    if (opt.max_depth) {
        const int levels = ceil_log2(plan.row_blocks());
        for (int i = 0; i < plan.row_blocks(); ++i) {
            IntProblem q = int_block(ip, {plan.rows[i], plan.rows[i + 1], 0, ip.m});
            if (min_depth(q) + levels > *opt.max_depth)
                fail("cmvm",
                     "problem '{}': split into {} row blocks ({}), the blocks' sums add {} adder levels, so "
                     "max depth {} cannot be met; allow depth {} or more, raise the memory budget, or solve "
                     "it whole (Options::split = false, fixvar cmvm --no-split)",
                     p.name, plan.row_blocks(), plan.reason, levels, *opt.max_depth, min_depth(q) + levels);
        }
    }
    return plan;
}

Solution solve_blocks(const Problem& p, const Options& opt, const BlockPlan& plan,
                      const std::function<Solution(const Problem&, const Options&)>& solve_block) {
    Solution s;
    s.name = p.name;
    s.n = p.n;
    s.m = p.m;
    std::vector<std::vector<OutputRef>> parts(std::size_t(p.m));
    Options block_opt = opt;
    block_opt.split = false;
    const int levels = ceil_log2(plan.row_blocks());
    if (opt.max_depth) block_opt.max_depth = *opt.max_depth - levels;
    for (int i = 0; i < plan.row_blocks(); ++i)
        for (int j = 0; j < plan.col_blocks(); ++j) {
            const Block b{plan.rows[i], plan.rows[i + 1], plan.cols[j], plan.cols[j + 1]};
            Solution part = solve_block(problem_block(p, b), block_opt);
            const int base = s.n + s.adder_count();
            auto id = [&](int k) { return k < part.n ? b.r0 + k : base + (k - part.n); };
            for (const Adder& a : part.adders) s.adders.push_back(Adder{id(a.a), id(a.b), a.shift, a.sub});
            for (int c = 0; c < part.m; ++c) {
                const OutputRef& o = part.outputs[std::size_t(c)];
                if (o.node >= 0) parts[std::size_t(b.c0 + c)].push_back(OutputRef{id(o.node), o.shift, o.negate});
            }
        }
    s.outputs.resize(std::size_t(p.m));
    for (int c = 0; c < p.m; ++c) {
        std::vector<OutputRef> level = std::move(parts[std::size_t(c)]);
        while (level.size() > 1) {  // pairwise: log2(row blocks) levels at most
            std::vector<OutputRef> next;
            for (std::size_t k = 0; k + 1 < level.size(); k += 2) next.push_back(sum_refs(s, level[k], level[k + 1]));
            if (level.size() % 2) next.push_back(level.back());
            level = std::move(next);
        }
        if (!level.empty()) s.outputs[std::size_t(c)] = level.front();
    }
    analyze(s, p);
    s.blocking =
        fmt::format("split into {} row block{} x {} column block{} ({}), {} adders, cost {}", plan.row_blocks(),
                    plan.row_blocks() > 1 ? "s" : "", plan.col_blocks(), plan.col_blocks() > 1 ? "s" : "",
                    plan.reason == "memory" ? "one run of the whole is over the memory budget"
                                            : "one run of the whole is past the size limit",
                    s.adder_count(), s.cost);
    return s;
}

}  // namespace fixvar::cmvm
