#pragma once
// FixedVariableArray: an N-d array (row-major) of traced variables with numpy-like semantics.
// This header holds the array itself: construction (inputs, constants), element access and
// the shape operations that only move elements (reshape, transpose, slice, concatenate, ...).
// Arithmetic lives in elementwise.hpp (lazy expressions), reduce.hpp, einsum.hpp, layers.hpp.
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

#include <fixvar/trace/comb_logic.hpp>
#include <fixvar/trace/shape.hpp>
#include <fixvar/trace/variable.hpp>

namespace fixvar {

namespace detail {
template <typename E>
struct is_array_expr : std::false_type {};
}  // namespace detail

/// Formats of an array's elements (HGQ's heterogeneous quantization): broadcast against the
/// shape they are applied to.
struct FormatArray {
    std::vector<kif> formats;
    Shape shape;

    FormatArray(std::vector<kif> f, Shape s);
    FormatArray(const std::vector<kif>& f);  // NOLINT: a 1-D list of formats
    const kif& operator[](std::int64_t flat) const { return formats[std::size_t(flat)]; }
};

class FixedVariableArray {
public:
    /// Empty 1-D array (shape (0,)).
    FixedVariableArray() : shape_{0} {}
    /// A 1-D array of the given variables.
    FixedVariableArray(std::vector<FixedVariable> values);  // NOLINT
    FixedVariableArray(std::initializer_list<FixedVariable> values);
    /// Variables in row-major order with a shape (sizes must agree).
    FixedVariableArray(std::vector<FixedVariable> values, Shape shape);
    /// A 0-d array holding one variable.
    explicit FixedVariableArray(const FixedVariable& v) : shape_{}, data_{v} {}
    /// Materializes a lazy elementwise expression (elementwise.hpp): one pass, no temporaries.
    template <typename E>
    requires detail::is_array_expr<std::remove_cvref_t<E>>::value FixedVariableArray(
        const E& expr);  // NOLINT: expressions convert like numpy results

    const Shape& shape() const { return shape_; }
    std::size_t ndim() const { return shape_.size(); }
    std::int64_t size() const { return std::int64_t(data_.size()); }
    /// Length of axis `axis` (negative counts from the end).
    std::int64_t dim(std::int64_t axis) const;

    /// Elements in row-major order.
    const std::vector<FixedVariable>& values() const { return data_; }
    std::vector<FixedVariable>& values() { return data_; }
    /// Element i of the flattened array, 0 <= i < size() (Error otherwise, like numpy's IndexError).
    const FixedVariable& flat(std::int64_t i) const { return data_[checked_flat(i)]; }
    FixedVariable& flat(std::int64_t i) { return data_[checked_flat(i)]; }

    /// Element at a full multi-index (negative indices count from the end; checked).
    const FixedVariable& at(std::span<const std::int64_t> index) const;
    FixedVariable& at(std::span<const std::int64_t> index);
    const FixedVariable& at(std::initializer_list<std::int64_t> index) const {
        return at(std::span(index.begin(), index.size()));
    }
    FixedVariable& at(std::initializer_list<std::int64_t> index) { return at(std::span(index.begin(), index.size())); }
    template <std::integral... I>
    const FixedVariable& operator()(I... i) const {
        const std::int64_t idx[] = {std::int64_t(i)...};
        return at(std::span<const std::int64_t>(idx, sizeof...(I)));
    }
    template <std::integral... I>
    FixedVariable& operator()(I... i) {
        const std::int64_t idx[] = {std::int64_t(i)...};
        return at(std::span<const std::int64_t>(idx, sizeof...(I)));
    }
    /// Sub-array a[i] along the first axis (numpy's a[i]).
    FixedVariableArray operator[](std::int64_t i) const;

    /// True when every element is a constant (a weight array).
    bool is_constant() const;
    /// Every element's minimal format, row-major.
    std::vector<kif> formats() const;

private:
    std::size_t checked_flat(std::int64_t i) const {
        if (i < 0 || i >= size()) flat_index_error(i);
        return std::size_t(i);
    }
    [[noreturn]] void flat_index_error(std::int64_t i) const;
    Shape shape_;
    std::vector<FixedVariable> data_;
};

// ---- construction --------------------------------------------------------------------------

/// Input ports of one format, one per element (row-major port order).
FixedVariableArray input(const Shape& shape, const kif& q);
/// Input ports with per-element formats (broadcast to `shape`).
FixedVariableArray input(const Shape& shape, const FormatArray& formats);
/// Input ports without a format: each must pass through quantize before any other use (the
/// quantize defines the port format); anything else is an Error.
FixedVariableArray input(const Shape& shape);
FixedVariableArray input(std::initializer_list<std::int64_t> shape);

/// Constant array: values in row-major order and a shape (Error if sizes differ). Each value is
/// exact; one that needs more than max_constant_bits is an Error (see trace/weights.hpp for
/// quantized constants and the exact opt-in).
FixedVariableArray constant(std::span<const double> values, const Shape& shape);
FixedVariableArray constant(const std::vector<double>& values, const Shape& shape);
/// 1-D and 2-D constants from (nested) vectors or braces; rows must have equal lengths.
/// constant({1.0, 2.0}) has shape (2,); constant({{1.0}, {2.0}}) is a column, shape (2, 1).
FixedVariableArray constant(const std::vector<double>& values);
FixedVariableArray constant(std::initializer_list<std::initializer_list<double>> rows);
FixedVariableArray constant(const std::vector<std::vector<double>>& rows);
FixedVariableArray zeros(const Shape& shape);
/// Constant array of a shape filled with one value.
FixedVariableArray full(const Shape& shape, double value);

// ---- shape operations (elements are moved, never recomputed) --------------------------------

/// Same elements, new shape; one dimension may be -1 (inferred).
FixedVariableArray reshape(const FixedVariableArray& a, const Shape& shape);
FixedVariableArray flatten(const FixedVariableArray& a);
/// Axes permuted (numpy's transpose); no permutation reverses the axes.
FixedVariableArray transpose(const FixedVariableArray& a, const std::vector<std::int64_t>& perm);
FixedVariableArray transpose(const FixedVariableArray& a);
/// numpy's a[s0, s1, ...]: one Slice per leading axis (missing trailing axes are whole).
FixedVariableArray slice(const FixedVariableArray& a, const std::vector<Slice>& slices);
/// The array broadcast to `shape` (elements repeated; Error if incompatible).
FixedVariableArray broadcast_to(const FixedVariableArray& a, const Shape& shape);
/// Joins arrays along an existing axis (other dimensions must agree).
FixedVariableArray concatenate(const std::vector<FixedVariableArray>& arrays, std::int64_t axis = 0);
/// Joins equal-shaped arrays along a new axis.
FixedVariableArray stack(const std::vector<FixedVariableArray>& arrays, std::int64_t axis = 0);
/// Splits into `sections` equal parts along `axis` (Error if not divisible).
std::vector<FixedVariableArray> split(const FixedVariableArray& a, std::int64_t sections, std::int64_t axis = 0);
/// Splits at the given indices along `axis` (numpy's split with an index list).
std::vector<FixedVariableArray> split(const FixedVariableArray& a, const std::vector<std::int64_t>& indices,
                                      std::int64_t axis);
/// Each element repeated `repeats` times along `axis` (numpy's repeat).
FixedVariableArray repeat(const FixedVariableArray& a, std::int64_t repeats, std::int64_t axis);
/// Pads each axis with (before, after) copies of the constant `value`.
FixedVariableArray pad(const FixedVariableArray& a, const std::vector<std::pair<std::int64_t, std::int64_t>>& widths,
                       double value = 0);
/// Removes an axis of length 1 / inserts one.
FixedVariableArray squeeze(const FixedVariableArray& a, std::int64_t axis);
FixedVariableArray expand_dims(const FixedVariableArray& a, std::int64_t axis);

// ---- tracing with arrays ---------------------------------------------------------------------

/// comb_trace over arrays: ports are the arrays' elements, flattened row-major in order; the
/// shapes are remembered (CombLogic::input_shapes / output_shapes).
CombLogic comb_trace(const std::vector<FixedVariableArray>& inputs, const std::vector<FixedVariableArray>& outputs);

/// A result of predict reshaped: values row-major and their shape.
struct ValueArray {
    std::vector<double> values;
    Shape shape;
};
/// Splits one flattened output row of `logic` into its output arrays (shapes from comb_trace).
std::vector<ValueArray> unflatten_outputs(const CombLogic& logic, std::span<const double> row);
/// Flattens one sample given as one array of values per input into a predict row (Error if a
/// size differs from the traced input's).
std::vector<double> flatten_inputs(const CombLogic& logic, const std::vector<std::vector<double>>& per_input);

}  // namespace fixvar
