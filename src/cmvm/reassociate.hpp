#pragma once
// Re-association of single-use sums, the post-pass of every improved run (reassociate.cpp).
#include <optional>

#include "adder_graph.hpp"

namespace fixvar::cmvm {

/// Post-pass: every maximal subtree of single-use adders summed again (the cheapest of
/// sum_cheapest's pairing rules) when that is cheaper (same values, depth never above the old
/// one); see reassociate.cpp.
Solution reassociate(const IntProblem& p, const Solution& s);

}  // namespace fixvar::cmvm
