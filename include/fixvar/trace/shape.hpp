#pragma once
// Shape: the dimensions of an N-d array (row-major), numpy's broadcasting rule and the index
// math shared by FixedVariableArray and its operations.
//
// Broadcasting (numpy): shapes are aligned on the right; two dimensions are compatible when
// equal or when one is 1; the result takes the larger. Example: (4, 1, 3) with (5, 1) -> (4, 5, 3).
// The rule itself is core/shape_rules.hpp, which the compile-time layer applies too.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fixvar {

using Shape = std::vector<std::int64_t>;

/// "(4, 5)" — numpy's spelling; "()" for a scalar.
std::string to_string(const Shape& s);
/// Number of elements (1 for the scalar shape ()).
std::int64_t shape_size(const Shape& s);
/// Row-major strides in elements.
Shape shape_strides(const Shape& s);
/// Error naming `op` unless every dimension is >= 0.
void check_shape(const Shape& s, const char* op);

/// The broadcast shape of a and b; Error naming `op` and both shapes if incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

/// Axis in [-rank, rank) to [0, rank); Error naming `op` otherwise.
int normalize_axis(std::int64_t axis, std::size_t rank, const char* op);
/// Several axes (each normalized; duplicates are an Error), sorted ascending.
std::vector<int> normalize_axes(std::span<const std::int64_t> axes, std::size_t rank, const char* op);

/// Strides of an operand of shape `s` read at the multi-index of a broadcast shape `out`
/// (rank(out) >= rank(s)): 0 along broadcast (size-1 or missing) axes.
Shape broadcast_strides(const Shape& s, const Shape& out);
/// For each element of the broadcast shape `out` (row-major), the flat index of the element
/// of an operand of shape `s` it reads (s must broadcast to out).
std::vector<std::int64_t> broadcast_offsets(const Shape& s, const Shape& out);

/// numpy's a[i] on an array of shape `s`: the sub-array's first flat index and its shape.
/// Negative i counts from the end; Error naming `op` if s is 0-d or i is out of range.
struct SubArray {
    std::int64_t first = 0;
    Shape shape;
};
SubArray sub_array(const Shape& s, std::int64_t i, const char* op);

/// One axis of a slice: numpy's start:stop:step (negative indices count from the end;
/// missing start/stop mean "from the beginning/to the end" in the step's direction).
struct Slice {
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> stop;
    std::int64_t step = 1;

    static Slice all() { return {}; }
    /// The single index i, keeping the axis (length 1).
    static Slice at(std::int64_t i) { return {i, i == -1 ? std::nullopt : std::optional(i + 1), 1}; }
};

/// Resolved slice along an axis of length n: first index, step and count (numpy semantics).
struct SliceRange {
    std::int64_t first = 0, step = 1, count = 0;
};
SliceRange resolve_slice(const Slice& s, std::int64_t n, const char* op);

}  // namespace fixvar
