#pragma once
// static_shape<D...>: an array shape in the type system (named apart from the tracer's runtime
// Shape), and the compile-time shape rules: numpy broadcasting by the rule the tracer applies
// (core/shape_rules.hpp), on the dimensions as std::arrays.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include <boost/hana/concat.hpp>
#include <boost/hana/drop_back.hpp>
#include <boost/hana/drop_front.hpp>
#include <boost/hana/equal.hpp>
#include <boost/hana/fold_left.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/mult.hpp>
#include <boost/hana/not_equal.hpp>
#include <boost/hana/or.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include <fixvar/core/shape_rules.hpp>
#include <fixvar/trace/shape.hpp>

namespace fixvar {

namespace hana = boost::hana;

template <std::size_t... D>
struct static_shape {
    /// The dimensions as a hana tuple of integral constants.
    static constexpr auto dims = hana::tuple_c<std::size_t, D...>;
    static constexpr std::size_t rank = sizeof...(D);
    static constexpr std::size_t size = (std::size_t(1) * ... * D);
    /// The dynamic tracer's Shape.
    static Shape value() { return Shape{std::int64_t(D)...}; }
};

namespace shapes {

/// static_shape<...> of a hana tuple of integral constants.
template <typename Dims>
struct of_impl;
template <typename... D>
struct of_impl<hana::tuple<D...>> {
    using type = static_shape<std::size_t(D::value)...>;
};
template <typename Dims>
using of = typename of_impl<std::remove_cvref_t<Dims>>::type;

/// static_shape<...> of a std::array of dimensions (computed by constexpr code).
template <auto Dims, typename Seq = std::make_index_sequence<Dims.size()>>
struct of_array_impl;
template <auto Dims, std::size_t... J>
struct of_array_impl<Dims, std::index_sequence<J...>> {
    using type = static_shape<Dims[J]...>;
};
template <auto Dims>
using of_array = typename of_array_impl<Dims>::type;

/// Dimensions as a std::array (for constexpr loops).
template <std::size_t... D>
constexpr std::array<std::size_t, sizeof...(D)> as_array(static_shape<D...>) {
    return {D...};
}

/// The broadcast of A and B by the rule both layers apply (core/shape_rules.hpp): the
/// dimensions, and the first conflict if any.
template <typename A, typename B>
struct broadcast_rule {
    static constexpr std::size_t rank = broadcast_rank(A::rank, B::rank);
    struct result {
        std::array<std::size_t, rank> dims{};
        BroadcastConflict conflict;
    };
    static constexpr result value = [] {
        std::array<std::int64_t, A::rank> a{};
        std::array<std::int64_t, B::rank> b{};
        std::array<std::int64_t, rank> out{};
        for (std::size_t j = 0; j < A::rank; ++j) a[j] = std::int64_t(as_array(A{})[j]);
        for (std::size_t j = 0; j < B::rank; ++j) b[j] = std::int64_t(as_array(B{})[j]);
        result r;
        r.conflict = broadcast_into(a, b, out);
        if (!r.conflict.found)
            for (std::size_t j = 0; j < rank; ++j) r.dims[j] = std::size_t(out[j]);
        return r;
    }();
};

/// numpy: each aligned pair equal, or one of them 1.
template <typename A, typename B>
constexpr bool broadcastable = !broadcast_rule<A, B>::value.conflict.found;

/// The broadcast shape (meaningful when broadcastable).
template <typename A, typename B>
using broadcast = of_array<broadcast_rule<A, B>::value.dims>;

}  // namespace shapes
}  // namespace fixvar
