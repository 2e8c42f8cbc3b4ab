#pragma once
// shape<D...>: an array shape in the type system, and the compile-time shape rules (numpy
// broadcasting, reshape sizes, axis permutations) as Boost.Hana computations on tuples of
// integral constants.
#include <array>
#include <cstddef>
#include <utility>

#include <boost/hana/all_of.hpp>
#include <boost/hana/concat.hpp>
#include <boost/hana/drop_back.hpp>
#include <boost/hana/drop_front.hpp>
#include <boost/hana/equal.hpp>
#include <boost/hana/fold_left.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/mult.hpp>
#include <boost/hana/not_equal.hpp>
#include <boost/hana/or.hpp>
#include <boost/hana/replicate.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>
#include <boost/hana/zip_with.hpp>

#include <fixvar/trace/shape.hpp>

namespace fixvar {

namespace hana = boost::hana;

template <std::size_t... D>
struct shape {
    /// The dimensions as a hana tuple of integral constants.
    static constexpr auto dims = hana::tuple_c<std::size_t, D...>;
    static constexpr std::size_t rank = sizeof...(D);
    static constexpr std::size_t size = (std::size_t(1) * ... * D);
    /// The dynamic tracer's Shape.
    static Shape value() { return Shape{std::int64_t(D)...}; }
};

namespace shapes {

/// shape<...> of a hana tuple of integral constants.
template <typename Dims>
struct of_impl;
template <typename... D>
struct of_impl<hana::tuple<D...>> {
    using type = shape<std::size_t(D::value)...>;
};
template <typename Dims>
using of = typename of_impl<std::remove_cvref_t<Dims>>::type;

/// `dims` padded on the left with 1s to rank n (numpy aligns shapes on the right).
template <std::size_t N, typename Dims>
constexpr auto left_padded(Dims dims) {
    constexpr std::size_t len = decltype(hana::length(dims))::value;
    return hana::concat(hana::replicate<hana::tuple_tag>(hana::size_c<1>, hana::size_c<N - len>), dims);
}

template <typename A, typename B>
constexpr std::size_t common_rank = A::rank > B::rank ? A::rank : B::rank;

/// numpy: each aligned pair equal, or one of them 1.
template <typename A, typename B>
constexpr bool broadcast_ok() {
    auto pairs_ok = hana::zip_with(
        [](auto x, auto y) { return x == y || x == hana::size_c<1> || y == hana::size_c<1>; },
        left_padded<common_rank<A, B>>(A::dims), left_padded<common_rank<A, B>>(B::dims));
    return decltype(hana::all_of(pairs_ok, [](auto ok) { return ok; }))::value;
}
template <typename A, typename B>
constexpr bool broadcastable = broadcast_ok<A, B>();

/// The broadcast shape (meaningful when broadcastable).
template <typename A, typename B>
constexpr auto broadcast_dims() {
    return hana::zip_with(
        [](auto x, auto y) { return hana::size_c<(decltype(x)::value == 1 ? decltype(y)::value : decltype(x)::value)>; },
        left_padded<common_rank<A, B>>(A::dims), left_padded<common_rank<A, B>>(B::dims));
}
template <typename A, typename B>
using broadcast = of<decltype(broadcast_dims<A, B>())>;

/// shape<...> of a std::array of dimensions (computed by constexpr code).
template <auto Dims, typename Seq = std::make_index_sequence<Dims.size()>>
struct of_array_impl;
template <auto Dims, std::size_t... J>
struct of_array_impl<Dims, std::index_sequence<J...>> {
    using type = shape<Dims[J]...>;
};
template <auto Dims>
using of_array = typename of_array_impl<Dims>::type;

/// Dimensions as a std::array (for constexpr loops).
template <std::size_t... D>
constexpr std::array<std::size_t, sizeof...(D)> as_array(shape<D...>) {
    return {D...};
}

}  // namespace shapes
}  // namespace fixvar
