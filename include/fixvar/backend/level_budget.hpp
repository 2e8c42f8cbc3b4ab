#pragma once
// The register/clock trade-off with the synthesizer in the loop: at a given latency, the cut-off
// whose design has the fewest flip-flops (plus the SRL shift registers Yosys may map register
// chains to) while Yosys counts at most `max_levels` logic levels between registers (ltp, the
// clock a user budgets for).
//
//   fixvar::LevelBudget fit = fixvar::fit_level_budget(logic, "mlp", "out/mlp",
//                                                      {.latency = 5}, 15, {.family = "xc7"});
//   // out/mlp/mlp.v is the chosen design; fit.chosen says its cut-off, FFs and levels
//
// The model's delay and Yosys' levels agree only loosely (a longer cut-off can keep or raise the
// levels), so each candidate is synthesized (unless an earlier one had the same placement): the
// smallest cut-off for the latency, the trade-off
// points the placement reports (10/25/50% longer; if all fit, up to two more at 1.5x), then two
// bisection steps between the longest one within the budget and the shortest one over it. The result is always a
// synthesized, measured design; the search is a heuristic (levels are not monotone in the cut-off), not an optimum.
#include <filesystem>
#include <string>
#include <vector>

#include <fixvar/backend/pipeline.hpp>
#include <fixvar/backend/synth.hpp>

namespace fixvar {
class CombLogic;
}

namespace fixvar::backend {

struct LevelBudgetPoint {
    double cutoff = 0;
    long register_bits = 0;
    SynthReport synth;
    int repeats = -1;  ///< >= 0: the same RTL as tried[repeats], whose numbers these are (not synthesized again)
};

struct LevelBudget {
    LevelBudgetPoint chosen;              ///< fewest FFs within the budget (written to dir)
    std::vector<LevelBudgetPoint> tried;  ///< every candidate, in the order synthesized
};

/// Options must set `latency` (cycles); their `latency_cutoff` is ignored. Writes the chosen
/// design to dir (as VerilogModel::write), the shortest stages' to dir/level_budget/shortest/ and
/// each other candidate to dir/level_budget/c<cut-off>/.
/// Error if the latency is unset, max_levels < 1, or even the smallest cut-off exceeds the budget.
LevelBudget fit_level_budget(const CombLogic& logic, const std::string& name, const std::filesystem::path& dir,
                             PipelineOptions options, int max_levels, const SynthOptions& synth = {});

}  // namespace fixvar::backend

namespace fixvar {
using backend::fit_level_budget;
using backend::LevelBudget;
}  // namespace fixvar
