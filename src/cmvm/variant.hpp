#pragma once
// The settings of one pipeline run (a `Variant`): how patterns are scored, how the final sums
// are paired, whether the columns are decomposed first, whether W or W^T is optimized, and the
// lookahead / re-coding switches. The strategy table (strategies.cpp) builds the portfolio of
// variants solve() runs; pair_cse.hpp describes what each setting does inside a run.
#include <cstdint>

namespace fixvar::cmvm {

enum class Score { Bits, Overlap, Count, OverlapLess1 };
enum class Reduce { DepthFirst, WidthFirst, Magnitude };
/// How msd_sweeps rate a coefficient's minimal signed-digit form by the patterns its digits
/// join (k other occurrences each): `Linear` k, `Threshold` k only where k + 1 reaches
/// min_count (the patterns this run extracts), `Square` k² (concentrates on frequent ones).
enum class FormWeight { Linear, Threshold, Square };

struct Variant {
    Score score = Score::Bits;
    Reduce reduce = Reduce::WidthFirst;
    int decompose_level = -1;  ///< -1: no stage 1; 0: unlimited MST; L > 0: tree level <= L
    int edge_penalty = 0;
    std::uint64_t seed = 0;                       ///< nonzero: seeded tie-breaks among equal scores
    int max_depth = -1;                           ///< -1: unbounded
    int min_count = 2;                            ///< extract patterns occurring at least this often
    int beta = 0, gamma = 4;                      ///< Score::Overlap = (2·count - beta)·max(4·overlap + gamma, 4)
    int msd_sweeps = 0;                           ///< passes choosing each coefficient's minimal signed-digit form
    int la_tol = 0;                               ///< lookahead group: scores within this percentage of the best
    int lookahead = 0;                            ///< > 1: choose among this many tied top patterns
    bool common = false;                          ///< lookahead prefers count-2 patterns starting larger common sums
    bool recode = false;                          ///< re-code raw residuals to create extra pattern occurrences
    int pair_window = 0;                          ///< width_first: pick the pair with the narrowest sum among this many
    bool transposed = false;                      ///< run on W^T and reverse the graph (run_transposed)
    bool alap_sums = false;                       ///< transposed: also width-aware reversed sums within spare depth
    bool out_widths = false;                      ///< transposed: W^T's inputs as wide as W's outputs (not 8 bits)
    int split_count = 0;                          ///< > 0: two-sided extraction (run_two_sided) from this count down
    bool out_first = false;                       ///< run_two_sided: each round starts with the output side
    FormWeight form_weight = FormWeight::Linear;  ///< msd_sweeps: what joining a pattern is worth
};

}  // namespace fixvar::cmvm
