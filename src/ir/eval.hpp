#pragma once
// Bit-exact evaluation of one node on integer mantissas: every op's arithmetic is its row's
// `eval` in the op table (src/ir/op_table.cpp), shared by the interpreter (batched) and by
// constant folding in the builder.
#include <fixvar/ir/graph.hpp>

namespace fixvar::ir {

/// Mantissa of node `n` (at n.range.exp) given its operands' mantissas (at their own exps).
i128 eval_node(const Graph& g, const Node& n, i128 a, i128 b, i128 c);

}  // namespace fixvar::ir
