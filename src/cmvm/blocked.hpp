#pragma once
// Blocked solves. One pair-CSE run holds every two-term pattern of every output's digits, so its
// memory and time grow with the square of the digits per output. When one run would not fit the
// memory budget, or would be larger than kMaxRunPairs (a 256 x 256 8-bit layer's run is 1.2e8
// pairs and ~30 s), solve() splits W into row blocks (inputs), balanced by digits, and only when
// single rows are still too large also into column blocks; each block is solved on its own and
// every output sums its blocks' partial outputs.
//
// Rows first: a row block keeps every output, so patterns shared across outputs are all still
// found, and the per-output sum of k partial results takes exactly the adders one tree over all
// their terms would (k·t - 1 either way); what is lost are the patterns pairing inputs of two
// different blocks. A row split divides a run's pairs by k², a column split only by k.
#include <functional>
#include <string>
#include <vector>

#include <fixvar/cmvm/solve.hpp>

#include "adder_graph.hpp"
#include "strategies.hpp"

namespace fixvar::cmvm {

/// Cut points of a split: rows [rows[i], rows[i+1]) x columns [cols[j], cols[j+1]).
struct BlockPlan {
    std::vector<int> rows, cols;
    std::string reason;  ///< why it splits ("memory" or "size"), empty when it does not
    int row_blocks() const { return int(rows.size()) - 1; }
    int col_blocks() const { return int(cols.size()) - 1; }
    bool split() const { return row_blocks() * col_blocks() > 1; }
};

/// The split solve() makes of ip (traits t) under `opt` (deterministic for a given budget).
/// Error when even single weights would not fit the budget.
BlockPlan plan_blocks(const Problem& p, const IntProblem& ip, const ProblemTraits& t, const Options& opt);

/// Solves each block with `solve_block` and sums the blocks of every output (pairwise, so
/// log2 of the row blocks adds to the depth); the result is analyzed, not yet verified.
Solution solve_blocks(const Problem& p, const Options& opt, const BlockPlan& plan,
                      const std::function<Solution(const Problem&, const Options&)>& solve_block);

}  // namespace fixvar::cmvm
