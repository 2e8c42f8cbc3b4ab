// solve(): choose the strategies for the problem (strategies.cpp), run them, pick the best,
// verify it exact.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>

#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/parallel.hpp>

#include "blocked.hpp"
#include "local_search.hpp"
#include "memory_model.hpp"
#include "pair_cse.hpp"
#include "reassociate.hpp"
#include "strategies.hpp"
#include "transpose.hpp"

namespace fixvar::cmvm {
namespace {

using Clock = std::chrono::steady_clock;

// Lexicographic quality: the objective first, then the other measure, then depth.
std::tuple<std::int64_t, std::int64_t, int> quality(const Solution& s, Objective o) {
    if (o == Objective::Cost) return {s.cost, s.adder_count(), s.depth};
    return {s.adder_count(), s.cost, s.depth};
}

// One pipeline run and the improved algorithm's re-association post-pass.
std::optional<Solution> run(const IntProblem& ip, const Variant& v, const ProblemTraits& t) {
    std::optional<Solution> s = v.transposed ? run_transposed(ip, v) : run_variant(ip, v);
    if (s && enabled("reassociate", t)) s = reassociate(ip, *s);
    return s;
}

// Every run of `runs` on up to `threads` threads; result i belongs to runs[i] whatever thread
// made it, so the answer does not depend on the thread count.
std::vector<std::optional<Solution>> run_all(const IntProblem& ip, const std::vector<Variant>& runs,
                                             const ProblemTraits& t, int threads) {
    std::vector<std::optional<Solution>> results(runs.size());
    parallel_for(runs.size(), threads, [&](std::size_t i, int) { results[i] = run(ip, runs[i], t); });
    return results;
}

// The best of results[from, to) and `best` (earlier ones win ties: table order decides).
std::optional<Solution> pick_best(std::vector<std::optional<Solution>>& results, std::size_t from, std::size_t to,
                                  std::optional<Solution> best, Objective o) {
    for (std::size_t i = from; i < to; ++i)
        if (results[i] && (!best || quality(*results[i], o) < quality(*best, o))) best = std::move(results[i]);
    return best;
}

// `workers` threads run at once (fewer than opt.threads when memory is short); the traits
// came from opt alone, so the result is the same for any worker count.
Solution run_portfolio(const IntProblem& ip, const ProblemTraits& t, int workers) {
    Portfolio f = choose_strategies(t);
    const std::size_t at_bound = f.at_bound.size();
    std::vector<Variant> runs = f.at_bound;
    runs.insert(runs.end(), f.deeper.begin(), f.deeper.end());
    std::vector<std::optional<Solution>> results = run_all(ip, runs, t, workers);
    std::optional<Solution> best = pick_best(results, 0, at_bound, std::nullopt, t.objective);
    std::optional<Solution> deeper = pick_best(results, at_bound, runs.size(), std::nullopt, t.objective);
    int bound = t.bound;
    if (deeper && (!best || deeper->cost * 10000 <= best->cost * (10000 - kDeeperGain))) {
        best = std::move(deeper);
        bound = t.bound + 1;
    }
    std::vector<Variant> more = budget_runs(t, bound);
    std::vector<std::optional<Solution>> extra = run_all(ip, more, t, workers);
    best = pick_best(extra, 0, extra.size(), std::move(best), t.objective);
    // Every run missed the depth bound: the naive graph meets any feasible bound.
    Solution s = best ? std::move(*best) : run_naive(ip);
    if (enabled("local-search", t)) {
        LocalSearchOptions lo;
        lo.moves = local_search_moves_per_output(t) * ip.m;
        lo.threads = workers;
        lo.max_depth = t.bound;
        lo.seed = t.seed;
        s = reassociate(ip, local_search(ip, s, lo));
    }
    return s;
}

// Pair patterns key node ids in 24 bits (pair_cse_engine.hpp). A run creates at most about one
// adder per signed digit (each extraction or final sum consumes more terms than it makes), so
// inputs + outputs + 2 x digits below 2^24 keeps every id in range with room to spare.
constexpr std::int64_t kMaxIds = std::int64_t(1) << 24;

void check_size(const Problem& p, std::int64_t digits) {
    if (std::int64_t(p.n) + p.m + 2 * digits >= kMaxIds)
        fail("cmvm",
             "problem '{}' ({} x {}) has {} signed digits; the optimizer takes at most "
             "n + m + 2 x digits < 2^24 = {} (its node ids are 24-bit); split the layer into "
             "blocks or use the naive algorithm",
             p.name, p.n, p.m, digits, kMaxIds);
}

}  // namespace

std::string_view to_string(Objective o) { return o == Objective::Cost ? "cost" : "adders"; }
std::string_view to_string(Algorithm a) {
    switch (a) {
        case Algorithm::Naive: return "naive";
        case Algorithm::Baseline: return "baseline";
        case Algorithm::Improved: return "improved";
    }
    return "?";
}
Objective parse_objective(std::string_view name) {
    if (name == "cost") return Objective::Cost;
    if (name == "adders") return Objective::Adders;
    fail("cmvm", "unknown objective '{}' (use cost or adders)", name);
}
Algorithm parse_algorithm(std::string_view name) {
    if (name == "naive") return Algorithm::Naive;
    if (name == "baseline") return Algorithm::Baseline;
    if (name == "improved") return Algorithm::Improved;
    fail("cmvm", "unknown algorithm '{}' (use naive, baseline or improved)", name);
}

Solution solve(const Problem& p, const Options& options) {
    auto t0 = Clock::now();
    if (options.threads < 1) fail("cmvm", "threads must be at least 1 (got {})", options.threads);
    if (!(options.time_budget >= 0 && options.time_budget <= 1e9))
        fail("cmvm", "time budget must be between 0 and 1e9 seconds (got {})", options.time_budget);
    if (options.depth_slack && *options.depth_slack < 0)
        fail("cmvm", "depth slack must be 0 or more levels over the minimum (got {})", *options.depth_slack);
    IntProblem ip = to_integer(p);
    Options opt = options;  // a depth slack is a bound relative to this problem's minimum
    if (!opt.max_depth && opt.depth_slack) opt.max_depth = min_depth(ip) + *opt.depth_slack;
    if (opt.max_depth) {
        int need = min_depth(ip);
        if (*opt.max_depth < need)
            fail("cmvm",
                 "problem '{}': max depth {} is impossible — some output has more signed "
                 "digits than 2^{} terms; use --max-depth {} or more",
                 p.name, *opt.max_depth, *opt.max_depth, need);
    }
    Solution best;
    // With no nonzero weight every output is 0 and every strategy gives the same empty graph:
    // a portfolio would only repeat that work per run (fuzzed 'shape 0 83339' took > 10 s).
    const bool zero = std::all_of(ip.w.begin(), ip.w.end(), [](std::int64_t w) { return w == 0; });
    const bool naive = opt.algorithm == Algorithm::Naive || zero;
    // Checked before any run allocates or any block is planned: fails fast, never OOM.
    const ProblemTraits t = naive ? ProblemTraits{} : problem_traits(ip, opt);
    if (!naive) check_size(p, t.digits);
    const BlockPlan plan = naive ? BlockPlan{} : plan_blocks(p, ip, t, opt);
    if (naive) {
        best = run_naive(ip);
    } else if (plan.split()) {
        best = solve_blocks(p, opt, plan, [](const Problem& q, const Options& o) { return solve(q, o); });
        const std::int64_t unshared = run_naive(ip).cost;
        best.blocking +=
            fmt::format(", {:.3f}x the unshared graph's {}", double(best.cost) / double(unshared), unshared);
    } else {
        best = run_portfolio(ip, t, workers_within_budget(p, estimate_memory(ip, t), t.digits, opt));
    }
    best.name = p.name;
    std::int64_t builder_cost = best.cost;
    bool ok = verify(best, p);
    FIXVAR_ASSERT(ok);
    FIXVAR_ASSERT(best.cost == builder_cost);
    if (opt.max_depth) FIXVAR_ASSERT(best.depth <= *opt.max_depth);
    best.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return best;
}

struct SolveCache::Entries {
    std::mutex mutex;
    std::map<std::string, Solution> solutions;
    std::size_t hits = 0;
};

SolveCache::SolveCache() : entries_(std::make_unique<Entries>()) {}
SolveCache::~SolveCache() = default;

std::size_t SolveCache::hits() const {
    std::lock_guard<std::mutex> lock(entries_->mutex);
    return entries_->hits;
}

Solution SolveCache::solve(const Problem& p, const Options& opt) {
    // The memory budget and the split switch decide blocked solves, so they are part of the key.
    std::string key = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|", to_string(opt.objective), to_string(opt.algorithm),
                                  opt.threads, opt.seed, opt.time_budget, opt.max_depth ? *opt.max_depth : -1,
                                  opt.depth_slack ? *opt.depth_slack : -1, opt.max_memory_bytes, opt.split);
    Problem q = p;
    q.name = "";
    q.ranges.clear();
    key += format_problem(q);
    for (const ExactRange& r : p.input_ranges()) key += to_string(r) + ";";
    {
        std::lock_guard<std::mutex> lock(entries_->mutex);
        auto it = entries_->solutions.find(key);
        if (it != entries_->solutions.end()) {
            ++entries_->hits;
            Solution s = it->second;
            s.name = p.name;
            s.seconds = 0;
            return s;
        }
    }
    Solution s = cmvm::solve(p, opt);
    std::lock_guard<std::mutex> lock(entries_->mutex);
    entries_->solutions.emplace(key, s);
    return s;
}

}  // namespace fixvar::cmvm
