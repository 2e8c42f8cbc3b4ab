#include <algorithm>
#include <numeric>
#include <optional>

#include <range/v3/view/enumerate.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/trace/reduce.hpp>

namespace fixvar {
namespace {

// Balanced pairwise reduction with `f` (adjacent pairs first, so trees stay shallow).
template <typename T, typename F>
T tree_reduce(std::vector<T> v, F&& f) {
    while (v.size() > 1) {
        std::vector<T> next;
        next.reserve((v.size() + 1) / 2);
        for (std::size_t j = 0; j + 1 < v.size(); j += 2) next.push_back(f(v[j], v[j + 1]));
        if (v.size() % 2) next.push_back(std::move(v.back()));
        v = std::move(next);
    }
    return std::move(v[0]);
}

// Moves `axes` to the end; returns the kept shape and calls f(row) on each contiguous row of the
// reduced elements, collecting the results.
template <typename F>
FixedVariableArray reduce_axes(const FixedVariableArray& a, std::vector<int> axes, bool keepdims, const char* op,
                               F&& f) {
    std::vector<std::int64_t> perm;
    Shape kept, kept_keepdims;
    std::int64_t inner = 1;
    for (std::size_t d = 0; d < a.ndim(); ++d) {
        bool reduced = std::find(axes.begin(), axes.end(), int(d)) != axes.end();
        kept_keepdims.push_back(reduced ? 1 : a.shape()[d]);
        if (!reduced) {
            perm.push_back(std::int64_t(d));
            kept.push_back(a.shape()[d]);
        }
    }
    for (int ax : axes) {
        perm.push_back(ax);
        inner *= a.shape()[std::size_t(ax)];
    }
    if (inner == 0 && std::string_view(op) != "sum")
        fail(op, "reduction over an empty axis of shape {} (there is no identity for {})", to_string(a.shape()), op);
    FixedVariableArray t = transpose(a, perm);
    std::int64_t outer = shape_size(kept);
    std::vector<FixedVariable> out;
    out.reserve(std::size_t(outer));
    for (std::int64_t o = 0; o < outer; ++o) {
        std::vector<FixedVariable> row(t.values().begin() + o * inner, t.values().begin() + (o + 1) * inner);
        out.push_back(f(std::move(row)));
    }
    return FixedVariableArray(std::move(out), keepdims ? kept_keepdims : kept);
}

std::vector<int> all_axes(const FixedVariableArray& a) {
    std::vector<int> v(a.ndim());
    std::iota(v.begin(), v.end(), 0);
    return v;
}

FixedVariable add2(const FixedVariable& x, const FixedVariable& y) { return x + y; }
FixedVariable max2(const FixedVariable& x, const FixedVariable& y) { return max(x, y); }
FixedVariable min2(const FixedVariable& x, const FixedVariable& y) { return min(x, y); }

auto by_sum = [](std::vector<FixedVariable> r) { return sum_tree(std::move(r)); };
auto by_max = [](std::vector<FixedVariable> r) { return tree_reduce(std::move(r), max2); };
auto by_min = [](std::vector<FixedVariable> r) { return tree_reduce(std::move(r), min2); };

// First index of the max (greater) or min (!greater): a comparator tree carrying indices.
FixedVariable arg_extreme(std::vector<FixedVariable> row, bool greater) {
    struct Cand {
        FixedVariable value, index;
    };
    std::vector<Cand> c;
    c.reserve(row.size());
    for (auto [j, value] : ranges::views::enumerate(row)) c.push_back({value, FixedVariable(double(j))});
    Cand best = tree_reduce(std::move(c), [&](const Cand& l, const Cand& r) {
        // r has the higher indices: take it only on a strict improvement.
        FixedVariable take_r = greater ? r.value > l.value : r.value < l.value;
        return Cand{where(take_r, r.value, l.value), where(take_r, r.index, l.index)};
    });
    return best.index;
}

}  // namespace

FixedVariable sum_tree(std::vector<FixedVariable> terms) {
    if (terms.empty()) return FixedVariable(0.0);
    return tree_reduce(std::move(terms), add2);
}

#define FIXVAR_REDUCTION(name, how)                                                                                 \
    FixedVariableArray name(const FixedVariableArray& a) { return reduce_axes(a, all_axes(a), false, #name, how); } \
    FixedVariableArray name(const FixedVariableArray& a, std::int64_t axis, bool keepdims) {                        \
        return reduce_axes(a, {normalize_axis(axis, a.ndim(), #name)}, keepdims, #name, how);                       \
    }                                                                                                               \
    FixedVariableArray name(const FixedVariableArray& a, const std::vector<std::int64_t>& axes, bool keepdims) {    \
        return reduce_axes(a, normalize_axes(axes, a.ndim(), #name), keepdims, #name, how);                         \
    }
FIXVAR_REDUCTION(sum, by_sum)
FIXVAR_REDUCTION(amax, by_max)
FIXVAR_REDUCTION(amin, by_min)
#undef FIXVAR_REDUCTION

namespace {

// argmax/argmin over all elements (no axis) or along one axis.
FixedVariableArray arg_reduce(const FixedVariableArray& a, std::optional<std::int64_t> axis, const char* op,
                              bool largest) {
    auto pick = [largest](std::vector<FixedVariable> r) { return arg_extreme(std::move(r), largest); };
    if (!axis) return reduce_axes(flatten(a), {0}, false, op, pick);
    return reduce_axes(a, {normalize_axis(*axis, a.ndim(), op)}, false, op, pick);
}

}  // namespace

FixedVariableArray argmax(const FixedVariableArray& a) { return arg_reduce(a, std::nullopt, "argmax", true); }
FixedVariableArray argmax(const FixedVariableArray& a, std::int64_t axis) {
    return arg_reduce(a, axis, "argmax", true);
}
FixedVariableArray argmin(const FixedVariableArray& a) { return arg_reduce(a, std::nullopt, "argmin", false); }
FixedVariableArray argmin(const FixedVariableArray& a, std::int64_t axis) {
    return arg_reduce(a, axis, "argmin", false);
}

}  // namespace fixvar
