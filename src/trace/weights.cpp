#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/trace/weights.hpp>

#include <cmath>
#include <limits>
#include <optional>

#include <range/v3/view/zip.hpp>

namespace fixvar {
namespace {

void check_count(std::size_t n, const Shape& shape, const char* op) {
    check_shape(shape, op);
    if (std::int64_t(n) != shape_size(shape))
        fail(op, "{} values given for shape {} (expected {})", n, to_string(shape), shape_size(shape));
}

// broadcast_offsets, with an Error naming `what` when s does not broadcast to the weights' shape.
std::vector<std::int64_t> checked_broadcast_offsets(const Shape& s, const Shape& out, const char* op,
                                                    const char* what) {
    bool fits = s.size() <= out.size();
    for (std::size_t d = 0; fits && d < s.size(); ++d) fits = s[d] == 1 || s[d] == out[out.size() - s.size() + d];
    if (!fits) fail(op, "{} of shape {} do not broadcast to the weights' shape {}", what, to_string(s), to_string(out));
    return broadcast_offsets(s, out);
}

// The array of constants values[j] -> make(j), in the current trace.
template <typename F>
FixedVariableArray constants(std::size_t n, const Shape& shape, F&& make) {
    const TraceContext& ctx = current_trace();
    std::vector<FixedVariable> v;
    v.reserve(n);
    for (std::size_t j = 0; j < n; ++j) v.emplace_back(ctx, ctx->constant(make(j)));
    return FixedVariableArray(std::move(v), shape);
}

std::string element_name(std::size_t j) { return fmt::format("constant: element {}", j); }

// An array of bit counts as ints (each must be an integer within +-max_exponent).
std::vector<int> integers_of(const NpyArray& a, const char* op, const char* what) {
    std::vector<int> out;
    out.reserve(a.values.size());
    for (std::size_t j = 0; j < a.values.size(); ++j) {
        double v = a.values[j];
        if (!(v == std::trunc(v) && std::abs(v) <= max_exponent))
            fail(op, "{} element {} is {}; bit counts must be integers within +-{}", what, j, v, max_exponent);
        out.push_back(int(v));
    }
    return out;
}

}  // namespace

FixedVariableArray constant(std::span<const double> values, const Shape& shape, const kif& q, Round round) {
    check_count(values.size(), shape, "constant");
    check_format(q, "constant");
    return constants(values.size(), shape,
                     [&](std::size_t j) { return quantize_value(values[j], q, round, element_name(j)); });
}

FixedVariableArray constant(const std::vector<double>& values, const Shape& shape, const kif& q, Round round) {
    return constant(std::span<const double>(values), shape, q, round);
}

FixedVariableArray constant(std::span<const double> values, const Shape& shape, const FormatArray& q, Round round) {
    check_count(values.size(), shape, "constant");
    std::vector<std::int64_t> at = checked_broadcast_offsets(q.shape, shape, "constant", "formats");
    return constants(values.size(), shape,
                     [&](std::size_t j) { return quantize_value(values[j], q[at[j]], round, element_name(j)); });
}

FixedVariableArray constant(const std::vector<double>& values, const Shape& shape, const FormatArray& q, Round round) {
    return constant(std::span<const double>(values), shape, q, round);
}

FixedVariableArray exact_constant(std::span<const double> values, const Shape& shape) {
    check_count(values.size(), shape, "exact_constant");
    return constants(values.size(), shape,
                     [&](std::size_t j) { return Dyadic::from_double(values[j], "exact_constant"); });
}

FixedVariableArray exact_constant(const std::vector<double>& values, const Shape& shape) {
    return exact_constant(std::span<const double>(values), shape);
}

Shape shape_of(const NpyArray& a) {
    Shape s;
    for (std::size_t d : a.shape) {
        if (d > std::size_t(std::numeric_limits<std::int64_t>::max()))
            fail("shape_of", "dimension {} exceeds the int64 range", d);
        s.push_back(std::int64_t(d));
    }
    return s;
}

FixedVariableArray constant(const NpyArray& values) { return constant(values.values, shape_of(values)); }

FixedVariableArray constant(const NpyArray& values, const kif& q, Round round) {
    return constant(values.values, shape_of(values), q, round);
}

FixedVariableArray exact_constant(const NpyArray& values) { return exact_constant(values.values, shape_of(values)); }

namespace {
// Weights on per-weight grids 2^-f: rounded with `round`, or (none) required to lie on them.
FixedVariableArray per_weight(const NpyArray& w, const NpyArray& frac_bits, std::optional<Round> round) {
    Shape shape = shape_of(w);
    check_count(w.values.size(), shape, "constant");
    check_count(frac_bits.values.size(), shape_of(frac_bits), "constant");
    std::vector<std::int64_t> at = checked_broadcast_offsets(shape_of(frac_bits), shape, "constant", "frac_bits");
    std::vector<int> f = integers_of(frac_bits, "constant", "frac_bits");
    return constants(w.values.size(), shape, [&](std::size_t j) {
        double v = w.values[j];
        int fj = f[std::size_t(at[j])];
        Dyadic d = round_value(v, fj, round.value_or(Round::TRN), element_name(j));
        if (!round && !(d == Dyadic::from_double(v)))
            fail("constant",
                 "weight {} (element {}) is not a multiple of its step 2^{} (frac_bits {}); "
                 "export the quantized weights, or pass a Round to quantize them here",
                 v, j, -fj, fj);
        return d;
    });
}
}  // namespace

FixedVariableArray constant(const NpyArray& values, const NpyArray& frac_bits) {
    return per_weight(values, frac_bits, std::nullopt);
}

FixedVariableArray constant(const NpyArray& values, const NpyArray& frac_bits, Round round) {
    return per_weight(values, frac_bits, round);
}

FormatArray format_array(const NpyArray& k, const NpyArray& i, const NpyArray& f) {
    if (k.shape != i.shape || i.shape != f.shape)
        fail("format_array", "k, i and f must have one shape; they have {}, {} and {}", to_string(shape_of(k)),
             to_string(shape_of(i)), to_string(shape_of(f)));
    check_count(f.values.size(), shape_of(f), "format_array");
    std::vector<int> kv = integers_of(k, "format_array", "k"), iv = integers_of(i, "format_array", "i"),
                     fv = integers_of(f, "format_array", "f");
    std::vector<kif> formats;
    formats.reserve(fv.size());
    for (auto [k_bits, i_bits, f_bits] : ranges::views::zip(kv, iv, fv)) formats.push_back(kif{k_bits, i_bits, f_bits});
    return FormatArray(std::move(formats), shape_of(f));
}

FixedVariableArray constant(const hgq::QuantizedArray& a) { return constant(a.values, a.frac_bits); }

FormatArray format_array(const hgq::Formats& f) {
    Shape shape;
    for (std::size_t d : f.shape) shape.push_back(std::int64_t(d));
    return FormatArray(f.formats, std::move(shape));
}

std::vector<std::vector<double>> sample_rows(const NpyArray& samples) {
    if (samples.shape.empty()) fail("sample_rows", "a 0-d array has no rows; samples need shape (N, ...)");
    std::size_t n = samples.shape[0], width = n ? samples.values.size() / n : 0;
    if (n * width != samples.values.size())
        fail("sample_rows", "{} values do not split into {} rows", samples.values.size(), n);
    std::vector<std::vector<double>> rows(n);
    for (std::size_t r = 0; r < n; ++r)
        rows[r].assign(samples.values.begin() + std::ptrdiff_t(r * width),
                       samples.values.begin() + std::ptrdiff_t((r + 1) * width));
    return rows;
}

}  // namespace fixvar
