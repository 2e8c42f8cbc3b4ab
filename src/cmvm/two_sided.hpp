#pragma once
// Two-sided extraction: input-side and output-side pair CSE alternating on one residual
// (two_sided.cpp explains the method).
#include <optional>

#include "adder_graph.hpp"
#include "variant.hpp"

namespace fixvar::cmvm {

/// Input-side extraction of the patterns occurring >= v.split_count times, then the transposed
/// pipeline on the residual sums (two_sided.cpp).
std::optional<Solution> run_two_sided(const IntProblem& p, const Variant& v);

}  // namespace fixvar::cmvm
