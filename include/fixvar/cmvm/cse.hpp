#pragma once
// Stage 2: greedy common-subexpression extraction of two-term patterns a ± (b << s) over the
// signed-digit terms of every (decomposed) column, then a reduction tree per output.
//
// One run of the pipeline is a `Variant`; the driver (solve.cpp) runs several and keeps the best.
//   - Pair counts are kept incrementally (a hash map pattern -> count, a lazy max-heap); a
//     pattern's occurrences are matched without overlap (a digit joins at most one pair), and
//     ties are broken by a total order on (score, count, width, seeded hash, pattern key), so a
//     run is a deterministic function of its variant.
//   - Scores: `bits` = (count - 1) * width (bit cells saved: count two-term sums replaced by one
//     adder), `overlap` = (2·count - beta)·max(4·overlapping bits + gamma, 4) (da4ml's weighted
//     count for beta = gamma = 0), `count`, `saving` = sum over occurrences of (output MSB -
//     higher operand LSB - delta) - width (a first-order model of the bits a final tree saves).
//   - Reductions: `magnitude` is Huffman on the terms' exact maximum magnitudes (MSB order
//     breaks its ties).
//   - Widths come from exact ranges of integer linear forms (builder.hpp).
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
#include <cstdint>
#include <optional>

#include <fixvar/cmvm/builder.hpp>
#include <fixvar/cmvm/decompose.hpp>
#include <fixvar/cmvm/solve.hpp>

namespace fixvar::cmvm {

enum class Score { bits, overlap, count, overlap_less1, width_count, saving };
enum class Reduce { depth_first, width_first, magnitude };
/// How msd_sweeps rate a coefficient's minimal signed-digit form by the patterns its digits
/// join (k other occurrences each): `linear` k, `threshold` k only where k + 1 reaches
/// min_count (the patterns this run extracts), `square` k² (concentrates on frequent ones).
enum class FormWeight { linear, threshold, square };

struct Variant {
    Score score = Score::bits;
    Reduce reduce = Reduce::width_first;
    int decompose_level = -1;  ///< -1: no stage 1; 0: unlimited MST; L > 0: tree level <= L
    int edge_penalty = 0;
    std::uint64_t seed = 0;    ///< nonzero: seeded tie-breaks among equal scores
    int max_depth = -1;        ///< -1: unbounded
    int min_count = 2;         ///< extract patterns occurring at least this often
    int delta = 0;             ///< Score::saving: expected tree-node MSB below the output's
    int beta = 0, gamma = 4;   ///< Score::overlap = (2·count - beta)·max(4·overlap + gamma, 4)
    int msd_sweeps = 0;        ///< passes choosing each coefficient's minimal signed-digit form
    int la_tol = 0;            ///< lookahead group: scores within this percentage of the best
    int lookahead = 0;         ///< > 1: choose among this many tied top patterns
    bool common = false;       ///< lookahead prefers count-2 patterns starting larger common sums
    bool recode = false;       ///< re-code raw residuals to create extra pattern occurrences
    int pair_window = 0;       ///< width_first: pick the pair with the narrowest sum among this many
    bool transposed = false;   ///< run on W^T and reverse the graph (run_transposed)
    bool alap_sums = false;    ///< transposed: also width-aware reversed sums within spare depth
    bool out_widths = false;   ///< transposed: W^T's inputs as wide as W's outputs (not 8 bits)
    int split_count = 0;       ///< > 0: two-sided extraction (run_hybrid) from this count down
    bool out_first = false;    ///< run_hybrid: each round starts with the output side
    FormWeight form_weight = FormWeight::linear;  ///< msd_sweeps: what joining a pattern is worth
};

/// One pipeline run; nullopt when the variant cannot meet max_depth.
std::optional<Solution> run_variant(const IntProblem& p, const Variant& v);

/// Input-side extraction of the patterns occurring >= v.split_count times, then the transposed
/// pipeline on the residual sums (hybrid.cpp).
std::optional<Solution> run_hybrid(const IntProblem& p, const Variant& v);

/// Stage 2 stopped after extraction (no decomposition, no final trees): the node store and
/// every output's remaining terms (units of 2^exp of the integer problem).
struct PartialCse {
    Builder builder;
    std::vector<std::vector<Term>> exprs;
    int max_count = 0;  ///< most occurrences (overlaps counted) of a pattern left at the end
};
std::optional<PartialCse> run_partial(const IntProblem& p, const Variant& v);

/// The variant run on the transposed matrix, its adder graph reversed (transposition
/// principle); nullopt when the reversed graph misses max_depth. With alap_sums the reversed
/// sums are also built width-aware within as-late-as-possible depth budgets (the cheaper
/// reversal is kept).
std::optional<Solution> run_transposed(const IntProblem& p, const Variant& v);

/// Post-pass: every maximal subtree of single-use adders summed again (the cheapest of
/// sum_cheapest's pairing rules) when that is cheaper (same values, depth never above the old
/// one); see reassociate.cpp.
Solution reassociate(const IntProblem& p, const Solution& s);

/// Each output from its own CSD digits (no sharing), depth-first reduction.
Solution run_naive(const IntProblem& p);

}  // namespace fixvar::cmvm
