#include <algorithm>

#include <range/v3/numeric/inner_product.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/core/shape_rules.hpp>
#include <fixvar/ir/graph.hpp>
#include <fixvar/trace/shape.hpp>

namespace fixvar {

std::string to_string(const Shape& s) {
    std::string out = "(";
    for (std::size_t d = 0; d < s.size(); ++d) {
        if (d) out += ", ";
        out += std::to_string(s[d]);
    }
    if (s.size() == 1) out += ",";
    return out + ")";
}

std::int64_t shape_size(const Shape& s) {
    if (std::find(s.begin(), s.end(), 0) != s.end()) return 0;
    std::int64_t n = 1;
    for (auto d : s)
        if (d < 0 || __builtin_mul_overflow(n, d, &n))
            fail("shape", "shape {} has no valid element count (negative or past 2^63)", to_string(s));
    return n;
}

Shape shape_strides(const Shape& s) {
    Shape st(s.size());
    std::int64_t acc = 1;
    for (std::size_t d = s.size(); d-- > 0;) {
        st[d] = acc;
        acc *= s[d];
    }
    return st;
}

void check_shape(const Shape& s, const char* op) {
    for (auto d : s)
        if (d < 0) fail(op, "shape {} has a negative dimension", to_string(s));
    if (std::find(s.begin(), s.end(), 0) != s.end()) return;
    std::int64_t n = 1;
    bool overflow = false;
    for (auto d : s) overflow = overflow || __builtin_mul_overflow(n, d, &n);
    if (overflow || n > std::int64_t(ir::max_nodes))
        fail(op, "shape {} has more elements than a trace holds (at most {} variables)", to_string(s), ir::max_nodes);
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
    Shape out(broadcast_rank(a.size(), b.size()));
    BroadcastConflict c = broadcast_into(a, b, out);  // the rule: core/shape_rules.hpp
    if (c.found)
        fail(op,
             "shapes {} and {} cannot be broadcast together (axis {} of the result: {} vs {}; "
             "dimensions must be equal or 1)",
             to_string(a), to_string(b), c.axis, c.a, c.b);
    return out;
}

int normalize_axis(std::int64_t axis, std::size_t rank, const char* op) {
    auto r = std::int64_t(rank);
    if (axis < -r || axis >= r)
        fail(op, "axis {} is out of range for an array of rank {} (expected -{} <= axis < {})", axis, rank, rank, rank);
    return int(axis < 0 ? axis + r : axis);
}

std::vector<int> normalize_axes(std::span<const std::int64_t> axes, std::size_t rank, const char* op) {
    std::vector<int> out;
    for (auto a : axes) out.push_back(normalize_axis(a, rank, op));
    std::sort(out.begin(), out.end());
    if (std::adjacent_find(out.begin(), out.end()) != out.end())
        fail(op, "repeated axis in the axis list (each axis may appear once)");
    return out;
}

Shape broadcast_strides(const Shape& s, const Shape& out) {
    Shape st(out.size(), 0);
    Shape own = shape_strides(s);
    std::size_t off = out.size() - s.size();
    for (std::size_t d = 0; d < s.size(); ++d) st[off + d] = s[d] == 1 ? 0 : own[d];
    return st;
}

std::vector<std::int64_t> broadcast_offsets(const Shape& s, const Shape& out) {
    Shape st = broadcast_strides(s, out);
    std::vector<std::int64_t> offsets(std::size_t(shape_size(out)));
    std::vector<std::int64_t> idx(out.size(), 0);  // the multi-index of offsets[j], odometer order
    for (std::int64_t& o : offsets) {
        o = ranges::inner_product(idx, st, std::int64_t{0});
        for (std::size_t d = out.size(); d-- > 0;) {
            if (++idx[d] < out[d]) break;
            idx[d] = 0;
        }
    }
    return offsets;
}

SubArray sub_array(const Shape& s, std::int64_t i, const char* op) {
    if (s.empty()) fail(op, "cannot index a 0-d array (shape ())");
    std::int64_t n = s[0];
    if (i < -n || i >= n) fail(op, "index {} is out of range for axis 0 of an array of shape {}", i, to_string(s));
    if (i < 0) i += n;
    Shape rest(s.begin() + 1, s.end());
    return SubArray{i * shape_size(rest), std::move(rest)};
}

SliceRange resolve_slice(const Slice& s, std::int64_t n, const char* op) {
    if (s.step == 0) fail(op, "slice step is 0 (expected a non-zero step)");
    auto clamp = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
        if (v < 0) v += n;
        return std::clamp(v, lo, hi);
    };
    SliceRange r;
    r.step = s.step;
    if (s.step > 0) {
        std::int64_t start = s.start ? clamp(*s.start, 0, n) : 0;
        std::int64_t stop = s.stop ? clamp(*s.stop, 0, n) : n;
        r.first = start;
        r.count = stop > start ? (stop - start + s.step - 1) / s.step : 0;
    } else {
        std::int64_t start = s.start ? clamp(*s.start, -1, n - 1) : n - 1;
        std::int64_t stop = s.stop ? clamp(*s.stop, -1, n - 1) : -1;
        r.first = start;
        r.count = start > stop ? (start - stop - s.step - 1) / (-s.step) : 0;
    }
    return r;
}

}  // namespace fixvar
