#pragma once
// Linear programs over difference constraints, solved exactly by min-cost flow (LEMON).
//
//   minimize  sum_v weight[v] * x[v]   subject to   x[to] - x[from] >= gap   for every constraint,
//
// with integer x. The constraint matrix is a network matrix (totally unimodular), so the LP
// optimum is integral and it is the dual of a min-cost flow: every constraint becomes an arc
// from -> to of cost -gap, every variable a node of supply -weight[v] (the weights must sum to
// zero, which makes the objective invariant under shifting every x by a constant). The network
// simplex's node potentials are the optimal x (negated), its flow cost the optimum (negated).
#include <cstdint>
#include <vector>

namespace fixvar::backend::detail {

struct DifferenceConstraint {
    int from = 0, to = 0;
    std::int64_t gap = 0;  ///< x[to] - x[from] >= gap
};

struct DifferenceSolution {
    bool feasible = false;
    std::vector<std::int64_t> x;  ///< an optimal assignment, x[anchor] = 0
    std::int64_t optimum = 0;     ///< sum weight * x at the optimum
};

/// Exact optimum; `anchor` is the variable fixed at 0 (the others are relative to it).
DifferenceSolution solve_difference_lp(int variables, const std::vector<DifferenceConstraint>& constraints,
                                       const std::vector<std::int64_t>& weight, int anchor);

}  // namespace fixvar::backend::detail
