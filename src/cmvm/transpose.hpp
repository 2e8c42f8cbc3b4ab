#pragma once
// The transposed pipeline: W^T optimized, its adder graph reversed (transpose.cpp).
#include <optional>

#include "adder_graph.hpp"
#include "variant.hpp"

namespace fixvar::cmvm {

/// The variant run on the transposed matrix, its adder graph reversed (transposition
/// principle); nullopt when the reversed graph misses max_depth. With alap_sums the reversed
/// sums are also built width-aware within as-late-as-possible depth budgets (the cheaper
/// reversal is kept).
std::optional<Solution> run_transposed(const IntProblem& p, const Variant& v);

}  // namespace fixvar::cmvm
