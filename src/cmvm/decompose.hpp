#pragma once
// Stage 1: column decomposition W = W1·W2 (the published two-stage method's first stage).
// Columns are vertices of a graph with a zero root; edge weight between columns a and b is the
// CSD digit count of the cheaper of c_a - c_b and c_a + c_b (the root's edge to c is the digit
// count of c). Prim's minimum spanning tree from the root, with an optional limit on the tree
// level, gives every column a parent p: c_j = sign_j·c_p + diff_j, so y_j = ±y_p + x·diff_j
// costs one adder plus the (cheaper) difference.
#include <cstdint>
#include <vector>

#include "adder_graph.hpp"

namespace fixvar::cmvm {

struct Decomposition {
    std::vector<int> parent;         ///< -1: child of the root (diff_j = c_j)
    std::vector<int> parent_sign;    ///< +1 or -1
    std::vector<int> level;          ///< 1 for children of the root
    std::vector<std::int64_t> diff;  ///< n x m row-major: column j is diff_j
    std::vector<int> order;          ///< columns in tree order (parents first)
    int max_level = 0;
};

/// Above this many column-pair row comparisons (m²·n) decompose() returns no_decomposition().
inline constexpr std::int64_t kMaxDecomposeWork = std::int64_t(1) << 22;

/// max_level 0: no limit; edge_penalty is added to non-root edges (the extra adder y_p + ...).
Decomposition decompose(const IntProblem& p, int max_level, int edge_penalty);
/// The trivial decomposition: every column a child of the root.
Decomposition no_decomposition(const IntProblem& p);

}  // namespace fixvar::cmvm
