#pragma once
// Width-aware sum of a term list under a depth budget (shared by the post-passes and the
// reversed graphs of the transposed pipeline).
#include <optional>
#include <vector>

#include <fixvar/cmvm/builder.hpp>

namespace fixvar::cmvm {

/// Sums `ts` into one term: repeatedly the pair with the narrowest sum among the 16 of smallest
/// MSB, keeping the Kraft sum of the term depths within 2^budget, so the result's depth is
/// <= budget whenever the terms allow it (budget >= 60: unbounded). nullopt if the terms cancel.
std::optional<Term> sum_narrowest(Builder& b, std::vector<Term> ts, int budget);

}  // namespace fixvar::cmvm
