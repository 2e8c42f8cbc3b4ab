#pragma once
// The strategy table: the optimizer is a portfolio of pipeline runs (Variants), and this table
// says which runs a problem gets. Every entry is named, says in one line what it is for and
// when it is enabled, and appends its runs; solve() takes the enabled entries in table order
// (the order decides ties between equally good results). `fixvar cmvm --list-strategies`
// prints the table; docs/cmvm.md tells what each entry bought when it was added.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <fixvar/cmvm/solve.hpp>

#include "adder_graph.hpp"
#include "variant.hpp"

namespace fixvar::cmvm {

/// What the table looks at: the options and a few measures of the problem.
struct ProblemTraits {
    Objective objective = Objective::Cost;
    Algorithm algorithm = Algorithm::Improved;
    std::uint64_t seed = 1;
    int bound = -1;              ///< depth bound of the runs (-1: none)
    bool user_bound = false;     ///< the bound came from Options::max_depth
    bool minimal_bound = false;  ///< the bound is the provable minimum depth (min_depth)
    std::int64_t size = 0;       ///< n·m
    std::int64_t digits = 0;     ///< signed digits of W (CSD), the measure of a run's cost
    bool sparse = false;         ///< at least a quarter of the weights are zero
    double column_pairs = 0;     ///< Σ over outputs of (signed digits in W's column)²: a W run's pair count
    double row_pairs = 0;        ///< Σ over inputs of (signed digits in W's row)²: a W^T run's pair count
    int digit_span = 0;          ///< highest minus lowest signed-digit position over W
    bool deeper = false;         ///< the runs are repeated one level deeper (see the table)
    int default_restarts = 0;    ///< randomized restarts of the default effort
    int budget_restarts = 0;     ///< randomized restarts bought by Options::time_budget
};

ProblemTraits problem_traits(const IntProblem& p, const Options& options);

/// The provable minimum depth: the most signed digits of any output need ceil(log2) levels.
int min_depth(const IntProblem& p);

/// When an entry's runs are made and compared.
enum class Stage {
    AtBound,  ///< the portfolio at the depth bound; the best result wins
    Deeper,   ///< one level deeper; kept only when clearly cheaper than the at-bound best
    Budget,   ///< a time budget's restarts, at the bound the first two stages chose
    Polish,   ///< applied to results (no runs of its own)
    Split,    ///< before any run: W solved in blocks (blocked.hpp)
};

/// A run's pattern occurrences (Σ over outputs of digits²) past which solve() splits W even
/// when it fits the memory budget (blocked.hpp). A 256 x 256 8-bit layer (1.2e8) runs whole in
/// ~32 s; a 512 x 512 one (9.8e8) goes to two row blocks of 2.4e8: cost 3,003,527 in 134-218 s
/// and 3.2-4.2 GB, where four row blocks (a 2.5e8 limit) gave 3,119,441 in 71 s and its four 256 x 256
/// quadrants solved separately 3,103,249 (docs/cmvm.md, Large layers).
inline constexpr double kMaxRunPairs = 3.0e8;

/// The runs chosen for one problem, by stage.
struct Portfolio {
    std::vector<Variant> at_bound, deeper, budget;
};

struct Strategy {
    std::string_view name;
    std::string_view description;  ///< what it is for, in one line
    std::string_view when;         ///< the enabling condition, in words
    Stage stage;
    bool (*enabled)(const ProblemTraits&);
    /// Appends this entry's runs to its stage's list (none for polish entries).
    void (*add)(const ProblemTraits&, Portfolio&);
};

/// Every entry, in the order solve() takes them.
std::span<const Strategy> strategy_table();

/// The at-bound and deeper runs of every enabled entry, in table order.
Portfolio choose_strategies(const ProblemTraits& t);
/// The budget-stage runs at depth bound `bound` (the one the first two stages chose).
std::vector<Variant> budget_runs(ProblemTraits t, int bound);

/// Whether the polish entry `name` is enabled for t.
bool enabled(std::string_view name, const ProblemTraits& t);

/// What one level of depth must buy: a deeper result is kept only when its cost is at most
/// (1 - kDeeperGain / 10000) of the at-bound best.
constexpr std::int64_t kDeeperGain = 75;

/// Destroy-and-repair moves per output and chain for the local-search polish.
int local_search_moves_per_output(const ProblemTraits& t);

}  // namespace fixvar::cmvm
