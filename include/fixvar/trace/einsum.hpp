#pragma once
// einsum and matmul over FixedVariableArrays (numpy semantics).
//
// einsum accepts any index string numpy accepts for one or two operands: explicit ("ij,jk->ik")
// or implicit ("ij,jk") output, repeated indices (traces, diagonals: "ii->i", "ii"), sums over
// several indices, outer and batched products, and an ellipsis ("...ij,...jk->...ik", whose
// dimensions broadcast). Either operand may be constant or variable:
//   constant x variable -> linear_forms (linear.hpp: CSD shift-and-add now, CMVM later);
//   variable x variable -> multiply nodes summed by balanced adder trees.
// Expressions passed as operands are materialized once.
#include <string_view>

#include <fixvar/trace/array.hpp>

namespace fixvar {

FixedVariableArray einsum(std::string_view spec, const FixedVariableArray& a);
FixedVariableArray einsum(std::string_view spec, const FixedVariableArray& a, const FixedVariableArray& b);

/// numpy's matmul: 1-D operands are promoted (and the added axis removed), leading (batch)
/// dimensions broadcast. Error if an operand is 0-d or the inner dimensions differ.
FixedVariableArray matmul(const FixedVariableArray& a, const FixedVariableArray& b);

}  // namespace fixvar
