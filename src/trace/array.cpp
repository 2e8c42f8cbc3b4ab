#include <algorithm>
#include <numeric>

#include <fixvar/core/error.hpp>
#include <fixvar/core/shape_rules.hpp>
#include <fixvar/trace/array.hpp>

namespace fixvar {
namespace {

// Iterates over all multi-indices of `shape` in row-major order.
template <typename F>
void for_each_index(const Shape& shape, F&& f) {
    std::int64_t n = shape_size(shape);
    std::vector<std::int64_t> idx(shape.size(), 0);
    for (std::int64_t flat = 0; flat < n; ++flat) {
        f(std::as_const(idx), flat);
        for (std::size_t d = shape.size(); d-- > 0;) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
}

std::string shapes_list(const std::vector<FixedVariableArray>& arrays) {
    std::string s;
    for (std::size_t j = 0; j < arrays.size(); ++j) {
        if (j) s += ", ";
        s += to_string(arrays[j].shape());
    }
    return s;
}

}  // namespace

FormatArray::FormatArray(std::vector<kif> f, Shape s) : formats(std::move(f)), shape(std::move(s)) {
    check_shape(shape, "FormatArray");
    if (std::int64_t(formats.size()) != shape_size(shape))
        fail("FormatArray", "{} formats given for shape {} (expected {})", formats.size(), to_string(shape),
             shape_size(shape));
    for (const kif& q : formats) check_format(q, "FormatArray");
}

FormatArray::FormatArray(const std::vector<kif>& f) : FormatArray(f, Shape{std::int64_t(f.size())}) {}

FixedVariableArray::FixedVariableArray(std::vector<FixedVariable> values)
    : shape_{std::int64_t(values.size())}, data_(std::move(values)) {}

FixedVariableArray::FixedVariableArray(std::initializer_list<FixedVariable> values)
    : shape_{std::int64_t(values.size())}, data_(values) {}

FixedVariableArray::FixedVariableArray(std::vector<FixedVariable> values, Shape shape)
    : shape_(std::move(shape)), data_(std::move(values)) {
    check_shape(shape_, "FixedVariableArray");
    if (std::int64_t(data_.size()) != shape_size(shape_))
        fail("FixedVariableArray", "{} values given for shape {} (expected {})", data_.size(), to_string(shape_),
             shape_size(shape_));
}

std::int64_t FixedVariableArray::dim(std::int64_t axis) const {
    return shape_[std::size_t(normalize_axis(axis, ndim(), "dim"))];
}

const FixedVariable& FixedVariableArray::at(std::span<const std::int64_t> index) const {
    if (index.size() != ndim())
        fail("at", "index has {} entries for an array of shape {} (expected {})", index.size(), to_string(shape_),
             ndim());
    std::int64_t flat = 0;
    for (std::size_t d = 0; d < ndim(); ++d) {
        std::int64_t i = index[d], n = shape_[d];
        if (i < -n || i >= n)
            fail("at", "index {} is out of range for axis {} of an array of shape {}", i, d, to_string(shape_));
        flat = flat * n + (i < 0 ? i + n : i);
    }
    return data_[std::size_t(flat)];
}

FixedVariable& FixedVariableArray::at(std::span<const std::int64_t> index) {
    return const_cast<FixedVariable&>(std::as_const(*this).at(index));
}

FixedVariableArray FixedVariableArray::operator[](std::int64_t i) const {
    SubArray sub = sub_array(shape_, i, "operator[]");
    auto first = data_.begin() + sub.first;
    std::vector<FixedVariable> v(first, first + shape_size(sub.shape));
    return FixedVariableArray(std::move(v), std::move(sub.shape));
}

bool FixedVariableArray::is_constant() const {
    return std::all_of(data_.begin(), data_.end(), [](const auto& v) { return v.is_constant(); });
}

std::vector<kif> FixedVariableArray::formats() const {
    std::vector<kif> out;
    out.reserve(data_.size());
    for (const auto& v : data_) out.push_back(v.kif());
    return out;
}

void FixedVariableArray::flat_index_error(std::int64_t i) const {
    fail("flat", "index {} is out of bounds for an array of {} elements (shape {})", i, size(), to_string(shape_));
}

// ---- construction ---------------------------------------------------------------------------

FixedVariableArray input(const Shape& shape, const kif& q) {
    check_shape(shape, "input");
    check_format(q, "input");
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(shape)));
    for (std::int64_t j = 0; j < shape_size(shape); ++j) v.push_back(input(q));
    return FixedVariableArray(std::move(v), shape);
}

FixedVariableArray input(const Shape& shape, const FormatArray& formats) {
    check_shape(shape, "input");
    Shape b = broadcast_shapes(shape, formats.shape, "input (per-element formats)");
    if (b != shape)
        fail("input", "formats of shape {} do not broadcast to the input shape {}", to_string(formats.shape),
             to_string(shape));
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(shape)));
    for (std::int64_t off : broadcast_offsets(formats.shape, shape)) v.push_back(input(formats[off]));
    return FixedVariableArray(std::move(v), shape);
}

FixedVariableArray input(const Shape& shape) {
    check_shape(shape, "input");
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(shape)));
    for (std::int64_t j = 0; j < shape_size(shape); ++j) v.push_back(input());
    return FixedVariableArray(std::move(v), shape);
}

FixedVariableArray input(std::initializer_list<std::int64_t> shape) { return input(Shape(shape)); }

FixedVariableArray constant(std::span<const double> values, const Shape& shape) {
    check_shape(shape, "constant");
    if (std::int64_t(values.size()) != shape_size(shape))
        fail("constant", "{} values given for shape {} (expected {})", values.size(), to_string(shape),
             shape_size(shape));
    const TraceContext& ctx = current_trace();
    std::vector<FixedVariable> v;
    v.reserve(values.size());
    for (std::size_t j = 0; j < values.size(); ++j)
        v.emplace_back(ctx, ctx->constant(short_constant(values[j], std::int64_t(j))));
    return FixedVariableArray(std::move(v), shape);
}

FixedVariableArray constant(const std::vector<double>& values, const Shape& shape) {
    return constant(std::span<const double>(values), shape);
}

FixedVariableArray constant(const std::vector<double>& values) {
    return constant(values, Shape{std::int64_t(values.size())});
}

FixedVariableArray constant(std::initializer_list<std::initializer_list<double>> rows) {
    std::vector<std::vector<double>> v;
    for (const auto& row : rows) v.emplace_back(row);
    return constant(v);
}

FixedVariableArray constant(const std::vector<std::vector<double>>& rows) {
    std::vector<double> flat;
    std::size_t cols = rows.empty() ? 0 : rows[0].size();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].size() != cols)
            fail("constant", "row {} has {} values but row 0 has {} (rows must have equal lengths)", r, rows[r].size(),
                 cols);
        flat.insert(flat.end(), rows[r].begin(), rows[r].end());
    }
    return constant(flat, Shape{std::int64_t(rows.size()), std::int64_t(cols)});
}

FixedVariableArray full(const Shape& shape, double value) {
    check_shape(shape, "full");
    FixedVariable c(value);
    return FixedVariableArray(std::vector<FixedVariable>(std::size_t(shape_size(shape)), c), shape);
}

FixedVariableArray zeros(const Shape& shape) { return full(shape, 0.0); }

// ---- shape operations -----------------------------------------------------------------------

FixedVariableArray reshape(const FixedVariableArray& a, const Shape& shape) {
    Shape s(shape.size());
    ReshapeResult r = reshape_into(shape, a.size(), s);  // the rule: core/shape_rules.hpp
    switch (r.problem) {
        case ReshapeProblem::none: break;
        case ReshapeProblem::two_inferred:
            fail("reshape", "cannot reshape {} to {}: only one dimension may be -1", to_string(a.shape()),
                 to_string(shape));
        case ReshapeProblem::negative_dim:
            fail("reshape", "cannot reshape {} to {}: negative dimension {}", to_string(a.shape()), to_string(shape),
                 shape[r.dim]);
        case ReshapeProblem::not_divisible:
            fail("reshape", "cannot reshape array of size {} (shape {}) into shape {}", a.size(), to_string(a.shape()),
                 to_string(shape));
        case ReshapeProblem::size_differs:
            fail("reshape", "cannot reshape array of size {} (shape {}) into shape {} (size {})", a.size(),
                 to_string(a.shape()), to_string(shape), shape_size(s));
    }
    return FixedVariableArray(a.values(), s);
}

FixedVariableArray flatten(const FixedVariableArray& a) { return reshape(a, {a.size()}); }

FixedVariableArray transpose(const FixedVariableArray& a, const std::vector<std::int64_t>& perm) {
    std::size_t r = a.ndim();
    PermutationCheck check = check_permutation(perm, r);  // the rule: core/shape_rules.hpp
    if (check.problem == PermutationProblem::wrong_count)
        fail("transpose", "permutation has {} axes for an array of shape {} (expected {})", perm.size(),
             to_string(a.shape()), r);
    if (check.problem == PermutationProblem::axis_out_of_range)
        normalize_axis(perm[check.index], r, "transpose");  // its Error names the axis
    if (check.problem == PermutationProblem::repeated_axis)
        fail("transpose",
             "permutation of an array of shape {} repeats an axis (expected each of "
             "0..{} once)",
             to_string(a.shape()), r - 1);
    std::vector<int> p;
    p.reserve(perm.size());
    for (auto x : perm) p.push_back(normalize_axis(x, r, "transpose"));
    Shape out(r), st = shape_strides(a.shape()), ost(r);
    for (std::size_t d = 0; d < r; ++d) {
        out[d] = a.shape()[std::size_t(p[d])];
        ost[d] = st[std::size_t(p[d])];
    }
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(a.size()));
    for_each_index(out, [&](const std::vector<std::int64_t>& idx, std::int64_t) {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < r; ++d) off += idx[d] * ost[d];
        v.push_back(a.flat(off));
    });
    return FixedVariableArray(std::move(v), out);
}

FixedVariableArray transpose(const FixedVariableArray& a) {
    std::vector<std::int64_t> p(a.ndim());
    for (std::size_t d = 0; d < p.size(); ++d) p[d] = std::int64_t(p.size() - 1 - d);
    return transpose(a, p);
}

FixedVariableArray slice(const FixedVariableArray& a, const std::vector<Slice>& slices) {
    std::size_t r = a.ndim();
    if (slices.size() > r)
        fail("slice", "{} slices given for an array of shape {} (expected at most {})", slices.size(),
             to_string(a.shape()), r);
    Shape out(r), st = shape_strides(a.shape());
    std::vector<SliceRange> rs(r);
    for (std::size_t d = 0; d < r; ++d) {
        rs[d] = resolve_slice(d < slices.size() ? slices[d] : Slice::all(), a.shape()[d], "slice");
        out[d] = rs[d].count;
    }
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(out)));
    for_each_index(out, [&](const std::vector<std::int64_t>& idx, std::int64_t) {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < r; ++d) off += (rs[d].first + idx[d] * rs[d].step) * st[d];
        v.push_back(a.flat(off));
    });
    return FixedVariableArray(std::move(v), out);
}

FixedVariableArray broadcast_to(const FixedVariableArray& a, const Shape& shape) {
    Shape b = broadcast_shapes(a.shape(), shape, "broadcast_to");
    if (b != shape) fail("broadcast_to", "cannot broadcast shape {} to {}", to_string(a.shape()), to_string(shape));
    if (a.shape() == shape) return a;
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(shape)));
    for (std::int64_t off : broadcast_offsets(a.shape(), shape)) v.push_back(a.flat(off));
    return FixedVariableArray(std::move(v), shape);
}

FixedVariableArray concatenate(const std::vector<FixedVariableArray>& arrays, std::int64_t axis) {
    if (arrays.empty()) fail("concatenate", "needs at least one array");
    const Shape& s0 = arrays[0].shape();
    if (s0.empty()) fail("concatenate", "cannot concatenate 0-d arrays (use stack)");
    int ax = normalize_axis(axis, s0.size(), "concatenate");
    Shape out = s0;
    out[std::size_t(ax)] = 0;
    for (const auto& a : arrays) {
        bool ok = a.ndim() == s0.size();
        for (std::size_t d = 0; ok && d < s0.size(); ++d) ok = int(d) == ax || a.shape()[d] == s0[d];
        if (!ok)
            fail("concatenate",
                 "shapes {} differ outside axis {} (all dimensions except the "
                 "concatenation axis must match)",
                 shapes_list(arrays), ax);
        out[std::size_t(ax)] += a.shape()[std::size_t(ax)];
    }
    // Row-major: for each outer index, append each array's contiguous block.
    std::int64_t outer = 1;
    for (int d = 0; d < ax; ++d) outer *= s0[std::size_t(d)];
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(out)));
    for (std::int64_t o = 0; o < outer; ++o)
        for (const auto& a : arrays) {
            std::int64_t block = outer ? a.size() / outer : 0;
            for (std::int64_t j = 0; j < block; ++j) v.push_back(a.flat(o * block + j));
        }
    return FixedVariableArray(std::move(v), out);
}

FixedVariableArray stack(const std::vector<FixedVariableArray>& arrays, std::int64_t axis) {
    if (arrays.empty()) fail("stack", "needs at least one array");
    for (const auto& a : arrays)
        if (a.shape() != arrays[0].shape())
            fail("stack", "shapes {} differ (all arrays must have the same shape)", shapes_list(arrays));
    int ax = normalize_axis(axis, arrays[0].ndim() + 1, "stack");
    std::vector<FixedVariableArray> expanded;
    expanded.reserve(arrays.size());
    for (const auto& a : arrays) expanded.push_back(expand_dims(a, ax));
    return concatenate(expanded, ax);
}

std::vector<FixedVariableArray> split(const FixedVariableArray& a, const std::vector<std::int64_t>& indices,
                                      std::int64_t axis) {
    int ax = normalize_axis(axis, a.ndim(), "split");
    std::int64_t n = a.shape()[std::size_t(ax)];
    std::vector<FixedVariableArray> out;
    std::int64_t prev = 0;
    for (std::size_t j = 0; j <= indices.size(); ++j) {
        std::int64_t stop = j < indices.size() ? std::clamp<std::int64_t>(indices[j], 0, n) : n;
        std::vector<Slice> s(std::size_t(ax) + 1, Slice::all());
        s[std::size_t(ax)] = Slice{prev, std::max(prev, stop), 1};
        out.push_back(slice(a, s));
        prev = std::max(prev, stop);
    }
    return out;
}

std::vector<FixedVariableArray> split(const FixedVariableArray& a, std::int64_t sections, std::int64_t axis) {
    int ax = normalize_axis(axis, a.ndim(), "split");
    std::int64_t n = a.shape()[std::size_t(ax)];
    if (sections <= 0 || n % sections != 0)
        fail("split",
             "axis {} of shape {} has length {}, which does not divide into {} equal "
             "sections",
             ax, to_string(a.shape()), n, sections);
    std::vector<std::int64_t> idx;
    for (std::int64_t j = 1; j < sections; ++j) idx.push_back(j * (n / sections));
    return split(a, idx, ax);
}

FixedVariableArray repeat(const FixedVariableArray& a, std::int64_t repeats, std::int64_t axis) {
    int ax = normalize_axis(axis, a.ndim(), "repeat");
    if (repeats < 0) fail("repeat", "repeats must be >= 0 (got {})", repeats);
    Shape out = a.shape();
    out[std::size_t(ax)] *= repeats;
    Shape st = shape_strides(a.shape());
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(out)));
    for_each_index(out, [&](const std::vector<std::int64_t>& idx, std::int64_t) {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < idx.size(); ++d) off += (int(d) == ax ? idx[d] / repeats : idx[d]) * st[d];
        v.push_back(a.flat(off));
    });
    return FixedVariableArray(std::move(v), out);
}

FixedVariableArray pad(const FixedVariableArray& a, const std::vector<std::pair<std::int64_t, std::int64_t>>& widths,
                       double value) {
    if (widths.size() != a.ndim())
        fail("pad", "{} (before, after) pairs given for an array of shape {} (expected {})", widths.size(),
             to_string(a.shape()), a.ndim());
    Shape out = a.shape();
    for (std::size_t d = 0; d < out.size(); ++d) {
        if (widths[d].first < 0 || widths[d].second < 0)
            fail("pad", "negative pad width on axis {} (widths must be >= 0)", d);
        out[d] += widths[d].first + widths[d].second;
    }
    FixedVariable fill(value);
    Shape st = shape_strides(a.shape());
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(shape_size(out)));
    for_each_index(out, [&](const std::vector<std::int64_t>& idx, std::int64_t) {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < idx.size(); ++d) {
            std::int64_t i = idx[d] - widths[d].first;
            if (i < 0 || i >= a.shape()[d]) {
                v.push_back(fill);
                return;
            }
            off += i * st[d];
        }
        v.push_back(a.flat(off));
    });
    return FixedVariableArray(std::move(v), out);
}

FixedVariableArray squeeze(const FixedVariableArray& a, std::int64_t axis) {
    int ax = normalize_axis(axis, a.ndim(), "squeeze");
    if (a.shape()[std::size_t(ax)] != 1)
        fail("squeeze", "axis {} of shape {} has length {} (expected 1)", ax, to_string(a.shape()),
             a.shape()[std::size_t(ax)]);
    Shape s = a.shape();
    s.erase(s.begin() + ax);
    return FixedVariableArray(a.values(), s);
}

FixedVariableArray expand_dims(const FixedVariableArray& a, std::int64_t axis) {
    int ax = normalize_axis(axis, a.ndim() + 1, "expand_dims");
    Shape s = a.shape();
    s.insert(s.begin() + ax, 1);
    return FixedVariableArray(a.values(), s);
}

// ---- tracing with arrays --------------------------------------------------------------------

CombLogic comb_trace(const std::vector<FixedVariableArray>& inputs, const std::vector<FixedVariableArray>& outputs) {
    std::vector<FixedVariable> in, out;
    for (const auto& a : inputs) in.insert(in.end(), a.values().begin(), a.values().end());
    for (const auto& a : outputs) out.insert(out.end(), a.values().begin(), a.values().end());
    CombLogic logic = comb_trace(in, out);
    for (const auto& a : inputs) logic.input_shapes.push_back(a.shape());
    for (const auto& a : outputs) logic.output_shapes.push_back(a.shape());
    return logic;
}

std::vector<ValueArray> unflatten_outputs(const CombLogic& logic, std::span<const double> row) {
    std::size_t total = 0;
    for (const auto& s : logic.output_shapes) total += std::size_t(shape_size(s));
    if (logic.output_shapes.empty() || row.size() != total)
        fail("unflatten_outputs",
             "row has {} values; the traced output arrays hold {} (was the "
             "circuit traced from arrays?)",
             row.size(), total);
    std::vector<ValueArray> out;
    std::size_t pos = 0;
    for (const auto& s : logic.output_shapes) {
        auto n = std::size_t(shape_size(s));
        out.push_back(
            {std::vector<double>(row.begin() + std::ptrdiff_t(pos), row.begin() + std::ptrdiff_t(pos + n)), s});
        pos += n;
    }
    return out;
}

std::vector<double> flatten_inputs(const CombLogic& logic, const std::vector<std::vector<double>>& per_input) {
    if (per_input.size() != logic.input_shapes.size())
        fail("flatten_inputs", "{} input arrays given; the circuit was traced with {}", per_input.size(),
             logic.input_shapes.size());
    std::vector<double> row;
    for (std::size_t j = 0; j < per_input.size(); ++j) {
        const Shape& s = logic.input_shapes[j];
        if (std::int64_t(per_input[j].size()) != shape_size(s))
            fail("flatten_inputs", "input {} has {} values; its shape {} holds {}", j, per_input[j].size(),
                 to_string(s), shape_size(s));
        row.insert(row.end(), per_input[j].begin(), per_input[j].end());
    }
    return row;
}

}  // namespace fixvar
