#pragma once
// fixvar::cmvm::solve — constant matrix-vector products as minimal shift-and-add graphs.
//
//   Problem p = read_problem("layer.cmvm");
//   Solution s = solve(p, Options{});          // objective cost, default effort
//   // s.adders / s.outputs / s.nodes (exact ranges), s.cost, s.depth; s.exact == true
//
// Every returned solution has been verified exact (verify() in solution.hpp); a failure
// there is an internal error (FIXVAR_ASSERT), never a silently wrong graph.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solution.hpp>

namespace fixvar::cmvm {

/// What the optimizer minimizes first (ties broken by the other measure, then depth).
enum class Objective {
    Cost,    ///< total adder bit cells (default)
    Adders,  ///< number of adders (adds a destroy-and-repair search: ~5x the time of `Cost`)
};

/// Which algorithm runs.
enum class Algorithm {
    Naive,     ///< each output from its own CSD digits, no sharing (reference point)
    Baseline,  ///< the published two-stage method: CSD, MST decomposition, greedy pair CSE
    Improved,  ///< fixvar's: exact ranges, bit-saving scores, width-aware trees, multi-start
};

struct Options {
    Objective objective = Objective::Cost;
    Algorithm algorithm = Algorithm::Improved;
    int threads = 2;         ///< worker threads for the multi-start (>= 1)
    std::uint64_t seed = 1;  ///< same seed + same threads -> same solution
    /// Effort for extra randomized restarts, in seconds of modelled work (0: the fixed default
    /// set). The number of restarts is derived from this, the problem size and `threads` by a
    /// work model, never from the clock, so results stay deterministic on any machine; real
    /// time is roughly this on a machine like the benchmark's.
    double time_budget = 0;
    std::optional<int> max_depth;  ///< adder depth bound (Error if below the provable minimum)
    /// Adder depth at most the problem's provable minimum plus this (>= 0), for settings that
    /// span many problems, such as every dense() of a trace (linear_options().cmvm). 0: the
    /// shallowest trees, shorter paths for a pipeline: fewer registers at a given cut-off.
    /// max_depth wins when both are set; neither: one level over the minimum, deeper when it
    /// pays (the default).
    std::optional<int> depth_slack;
    /// Memory the optimizer may use, in bytes (0: default_memory_budget(), cmvm/memory.hpp).
    /// Over it solve() runs fewer threads at once (same result); when one run alone does not
    /// fit, W is split into blocks (see `split`); with split == false, Error naming the problem
    /// size, the estimate, the budget and what to change.
    std::uint64_t max_memory_bytes = 0;
    /// When one optimizer run of the whole W would not fit the memory budget, or would be past
    /// the size one run handles in about half a minute (a 256 x 256 8-bit layer), W is solved in
    /// row blocks (inputs; column blocks too only when single rows are too large) and every
    /// output sums its blocks' results; Solution::blocking says what was done. false: solve W
    /// whole, and fail with the memory Error when it does not fit (fixvar cmvm --no-split).
    bool split = true;
};

std::string_view to_string(Objective o);
std::string_view to_string(Algorithm a);
Objective parse_objective(std::string_view name);  ///< Error on unknown names
Algorithm parse_algorithm(std::string_view name);

/// Solves p; the result is verified exact (s.exact), with s.cost, s.depth and s.seconds set.
Solution solve(const Problem& p, const Options& options = {});

/// Solves identical problems (same W and input formats) once: later calls reuse the verified
/// solution (renamed). Thread-safe.
class SolveCache {
public:
    SolveCache();
    ~SolveCache();
    SolveCache(const SolveCache&) = delete;
    SolveCache& operator=(const SolveCache&) = delete;
    Solution solve(const Problem& p, const Options& options = {});
    std::size_t hits() const;

private:
    struct Entries;  // the solutions by problem key, behind a mutex (solve.cpp)
    std::unique_ptr<Entries> entries_;
};

/// One entry of the optimizer's strategy table (`fixvar cmvm --list-strategies`): a pipeline
/// of the portfolio or a pass over its results, with when it runs and what it is for.
struct StrategyInfo {
    std::string_view name, stage, when, description;
};
std::vector<StrategyInfo> list_strategies();

/// Lower bounds on any exact solution (the arguments are in src/cmvm/lower_bound.cpp).
struct LowerBound {
    int adders = 0;
    std::int64_t cost = 0;
    int depth = 0;  ///< max over outputs of ceil(log2(minimal signed digits))
};
LowerBound lower_bound(const Problem& p);

}  // namespace fixvar::cmvm
