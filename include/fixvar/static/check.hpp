#pragma once
// The bridge between the static layer and the dynamic tracer (non-template code, src/static/):
// the trace-time check that every element's exact range lies inside the static format, and
// compile-time weights turned into traced constants.
#include <span>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/trace/array.hpp>

namespace fixvar::static_check {

/// Error (naming `op`) unless `a` has shape `shape` and every element's exact range lies inside
/// `range` (the static type's; a failure would be a bug in the static rules).
void check_array(const FixedVariableArray& a, const Shape& shape, const ExactRange& range, const char* op);
/// The same with one range per element (row-major), or a single range for all.
void check_array(const FixedVariableArray& a, const Shape& shape, std::span<const ExactRange> ranges, const char* op);

/// A constant array of exact values (row-major) in the current trace.
FixedVariableArray constant_array(std::span<const Dyadic> values, const Shape& shape);

}  // namespace fixvar::static_check
