#pragma once
// The shape rules shared by the tracer (trace/shape.hpp, trace/einsum.hpp: at run time, on
// Shape) and the compile-time layer (static/shape.hpp, static/linear.hpp: while a model
// compiles, on static_shape<D...>). Each rule is one constexpr function over spans of
// dimensions, so the two layers agree by construction, as the range rules do (core/range.hpp).
//
// Broadcasting (numpy): shapes are aligned on the right; two dimensions are compatible when
// equal or when one is 1; the result takes the larger. (4, 1, 3) with (5, 1) -> (4, 5, 3).
//
// A rule reports a violation as a value saying what and where; each layer words it once: the
// tracer as an Error naming the op and both shapes (src/trace/shape.cpp, src/trace/einsum.cpp),
// the static layer as one named static_assert (static/errors.hpp; a static_assert message must
// be a literal in C++20, so it states the rule rather than the dimensions, which the
// diagnostic's instantiation context shows).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace fixvar {

/// The broadcast of one aligned pair of dimensions, or -1 when they are incompatible.
constexpr std::int64_t broadcast_dim(std::int64_t a, std::int64_t b) {
    if (a == b || b == 1) return a;
    if (a == 1) return b;
    return -1;
}

/// Rank of the broadcast of shapes of ranks ra and rb.
constexpr std::size_t broadcast_rank(std::size_t ra, std::size_t rb) { return std::max(ra, rb); }

/// The first aligned pair of dimensions that does not broadcast (found == false: none).
struct BroadcastConflict {
    bool found = false;
    std::size_t axis = 0;  // axis of the result
    std::int64_t a = 0, b = 0;
};

/// Writes the broadcast shape of a and b into out (out.size() == broadcast_rank(a, b)), or
/// returns the first conflict (out is then partly written).
constexpr BroadcastConflict broadcast_into(std::span<const std::int64_t> a,
                                           std::span<const std::int64_t> b,
                                           std::span<std::int64_t> out) {
    std::size_t r = out.size();
    for (std::size_t j = 0; j < r; ++j) {
        std::int64_t da = j < r - a.size() ? 1 : a[j - (r - a.size())];
        std::int64_t db = j < r - b.size() ? 1 : b[j - (r - b.size())];
        out[j] = broadcast_dim(da, db);
        if (out[j] < 0) return BroadcastConflict{true, j, da, db};
    }
    return {};
}

}  // namespace fixvar
