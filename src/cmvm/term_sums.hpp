#pragma once
// Width-aware sum of a term list under a depth budget (shared by the post-passes and the
// reversed graphs of the transposed pipeline).
#include <optional>
#include <vector>

#include "adder_graph.hpp"

namespace fixvar::cmvm {

/// Sums `ts` into one term, always combining the two smallest terms by (depth, MSB) when
/// `by_depth` (shallowest first: minimal depth) or by (MSB, depth) otherwise (cheaper carry
/// chains). nullopt if the terms cancel.
std::optional<Term> sum_ordered(AdderGraph& b, std::vector<Term> ts, bool by_depth);

/// Sums `ts` into one term: repeatedly, among the `window` terms of smallest MSB, the pair with
/// the smallest key = 4·MSB(sum) - lsb_weight·max(LSB) (lsb_weight -1: MSB(sum) - max(LSB),
/// the adder's own width), keeping the Kraft sum of the term depths within 2^budget, so the
/// result's depth is <= budget whenever the terms allow it (budget >= 60: unbounded).
/// lsb_weight 0 is the narrowest sum. nullopt if the terms cancel.
std::optional<Term> sum_narrowest(AdderGraph& b, std::vector<Term> ts, int budget, int lsb_weight = 0, int window = 16);
/// The cheapest of sum_narrowest's rules (each is built and rolled back; only the cheapest stays
/// in `b`). `cost`: the bit cells of the returned tree.
std::optional<Term> sum_cheapest(AdderGraph& b, const std::vector<Term>& ts, int budget, std::int64_t* cost = nullptr);

}  // namespace fixvar::cmvm
