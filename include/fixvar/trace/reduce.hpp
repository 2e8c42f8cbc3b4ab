#pragma once
// Reductions over axes of a FixedVariableArray: sum, amax, amin (balanced trees, so depth is
// log2 of the reduced length) and argmax / argmin (a comparator tree carrying indices).
// Expressions passed here are materialized once (they convert to FixedVariableArray).
#include <vector>

#include <fixvar/trace/array.hpp>

namespace fixvar {

/// Balanced pairwise sum of `terms` (adjacent pairs first); the constant 0 when empty.
FixedVariable sum_tree(std::vector<FixedVariable> terms);

/// Sum of all elements (a 0-d array), over one axis, or over several axes (numpy semantics;
/// keepdims keeps reduced axes with length 1).
FixedVariableArray sum(const FixedVariableArray& a);
FixedVariableArray sum(const FixedVariableArray& a, std::int64_t axis, bool keepdims = false);
FixedVariableArray sum(const FixedVariableArray& a, const std::vector<std::int64_t>& axes, bool keepdims = false);

/// Maximum / minimum (same forms as sum). Error on an empty reduction.
FixedVariableArray amax(const FixedVariableArray& a);
FixedVariableArray amax(const FixedVariableArray& a, std::int64_t axis, bool keepdims = false);
FixedVariableArray amax(const FixedVariableArray& a, const std::vector<std::int64_t>& axes, bool keepdims = false);
FixedVariableArray amin(const FixedVariableArray& a);
FixedVariableArray amin(const FixedVariableArray& a, std::int64_t axis, bool keepdims = false);
FixedVariableArray amin(const FixedVariableArray& a, const std::vector<std::int64_t>& axes, bool keepdims = false);

/// Index of the first maximum, over the flattened array (0-d result) or along an axis: a
/// balanced tree of comparators whose muxes carry (value, index); ties keep the lower index.
FixedVariableArray argmax(const FixedVariableArray& a);
FixedVariableArray argmax(const FixedVariableArray& a, std::int64_t axis);
FixedVariableArray argmin(const FixedVariableArray& a);
FixedVariableArray argmin(const FixedVariableArray& a, std::int64_t axis);

}  // namespace fixvar
