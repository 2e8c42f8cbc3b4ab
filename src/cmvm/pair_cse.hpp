#pragma once
// Stage 2: greedy common-subexpression extraction of two-term patterns a ± (b << s) over the
// signed-digit terms of every (decomposed) column, then a reduction tree per output.
//
// One run of the pipeline is a `Variant` (variant.hpp); the strategy table (strategies.cpp)
// chooses which runs solve() makes. The run's parts: pair_map.hpp (pattern counts),
// pair_extraction.cpp (the extraction loop), digit_recoding.cpp, final_sums.cpp.
//   - Pair counts are kept incrementally (a hash map pattern -> count, a lazy max-heap); a
//     pattern's occurrences are matched without overlap (a digit joins at most one pair), and
//     ties are broken by a total order on (score, count, width, seeded hash, pattern key), so a
//     run is a deterministic function of its variant.
//   - Scores: `bits` = (count - 1) * width (bit cells saved: count two-term sums replaced by one
//     adder), `overlap` = (2·count - beta)·max(4·overlapping bits + gamma, 4) (da4ml's weighted
//     count for beta = gamma = 0), `count`, `overlap-1` = (count - 1)·max(overlap, 1).
//   - Reductions: `magnitude` is Huffman on the terms' exact maximum magnitudes (MSB order
//     breaks its ties).
//   - Widths come from exact ranges of integer linear forms (adder_graph.hpp).
//   - The final reduction combines, per output, the two terms of smallest depth (then MSB)
//     (`depth_first`, minimal depth) or of smallest MSB (`width_first`, cheaper carry chains);
//     with `pair_window` > 1 width_first takes, among that many smallest-MSB terms, the pair
//     whose *sum* is narrowest (same-sign terms of unsigned inputs give an unsigned sum: one
//     sign bit less than a mixed pair).
//   - Re-coding (`recode`): the digits of input x_r left in an output sum to an integer residual
//     R, and any minimal signed-digit form of R is as good as its CSD; a substitution re-writes
//     R to contain the chosen pattern's digit when that keeps the digit count, which gives the
//     pattern occurrences CSD hides (6·x = 8x - 2x re-coded as 4x + 2x). `msd_sweeps` chooses
//     each coefficient's minimal form up front by the pair counts it joins.
//     `form_weight` sets how a form is rated (see FormWeight).
//   - Lookahead (`lookahead` > 1): among the best-scored patterns (within `la_tol` percent) the
//     one with the best score at its true occurrence count (re-coding included) wins, then the
//     one starting the larger common sum of its two expressions (`common`), then the one
//     breaking fewer count-2 pairs.
//   - With a depth bound every substitution and combination keeps the Kraft sum of the
//     output's term depths within its budget, so the bound always holds.
#include <optional>
#include <vector>

#include "adder_graph.hpp"
#include "decompose.hpp"
#include "variant.hpp"

namespace fixvar::cmvm {

/// One pipeline run; nullopt when the variant cannot meet max_depth.
std::optional<Solution> run_variant(const IntProblem& p, const Variant& v);

/// Stage 2 stopped after extraction (no decomposition, no final trees): the node store and
/// every output's remaining terms (units of 2^exp of the integer problem).
struct PartialCse {
    AdderGraph builder;
    std::vector<std::vector<Term>> exprs;
    int max_count = 0;  ///< most occurrences (overlaps counted) of a pattern left at the end
};
std::optional<PartialCse> run_partial(const IntProblem& p, const Variant& v);

/// Each output from its own CSD digits (no sharing), depth-first reduction.
Solution run_naive(const IntProblem& p);

}  // namespace fixvar::cmvm
