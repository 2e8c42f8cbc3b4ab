#pragma once
// Shape operations and reductions on sarrays (numpy semantics, shapes checked at compile time):
//   reshape<D...>(x)            same elements, same range
//   transpose(x), transpose<P...>(x)   axes reversed / permuted, same range
//   concatenate<Axis>(a, b...)  the hull of the operands' ranges
//   sum(x), sum<Axis>(x)        n-fold interval sum (a balanced adder tree of n terms)
//   amax(x), amax<Axis>(x)      the operand range (max of equal ranges is that range)
#include <boost/hana/at.hpp>
#include <boost/hana/erase_key.hpp>
#include <boost/hana/remove_at.hpp>
#include <boost/hana/reverse.hpp>

#include <fixvar/static/ops.hpp>
#include <fixvar/trace/reduce.hpp>

namespace fixvar {

template <std::size_t... To, StaticArray A>
auto reshape(const A& a) {
    using From = typename A::shape_type;
    if constexpr (From::size != shape<To...>::size)
        return static_error::raise<static_error::reshape_sizes_differ<From, shape<To...>>>();
    else
        return sarray<typename A::format, To...>(reshape(a.array(), shape<To...>::value()),
                                                 "reshape");
}

template <std::size_t... Perm, StaticArray A>
auto transpose(const A& a) {
    using S = typename A::shape_type;
    if constexpr (sizeof...(Perm) == 0) {
        using R = shapes::of<decltype(hana::reverse(S::dims))>;  // no lambda: fine in an alias
        return sarray_of<typename A::format, R>(transpose(a.array()), "transpose");
    } else {
        constexpr auto is_permutation = [] {
            std::array<bool, sizeof...(Perm)> seen{};
            for (std::size_t p : {Perm...}) {
                if (p >= sizeof...(Perm) || seen[p]) return false;
                seen[p] = true;
            }
            return sizeof...(Perm) == S::rank;
        }();
        if constexpr (!is_permutation)
            return static_error::raise<static_error::bad_permutation<S, Perm...>>();
        else {
            using R = shape<shapes::as_array(S{})[Perm]...>;
            return sarray_of<typename A::format, R>(
                transpose(a.array(), {std::int64_t(Perm)...}), "transpose");
        }
    }
}

namespace detail {
// Shape of `S` with axis `Axis` removed.
template <typename S, int Axis>
constexpr auto without_axis_dims() {
    return hana::remove_at(S::dims, hana::size_c<std::size_t(Axis)>);
}
template <typename S, int Axis>
using without_axis = shapes::of<decltype(without_axis_dims<S, Axis>())>;

template <int Axis, typename S>
constexpr bool axis_ok = Axis >= 0 && std::size_t(Axis) < S::rank;

// Interval sum of n terms of range r (the adder tree's rule, term by term).
constexpr srange sum_of(srange r, std::size_t n) {
    if (n == 0) return {0, 0, 0};
    srange acc = r;
    for (std::size_t j = 1; j < n; ++j) acc = rules::add(acc, r);
    return acc;
}
}  // namespace detail

/// Sum of all elements (a 0-d sarray).
template <StaticArray A>
auto sum(const A& a) {
    constexpr srange r = detail::sum_of(A::range, A::size);
    return sarray<format_of<r>>(sum(a.array()), "sum");
}

/// Sum along one axis (removed).
template <int Axis, StaticArray A>
auto sum(const A& a) {
    using S = typename A::shape_type;
    if constexpr (!detail::axis_ok<Axis, S>)
        return static_error::raise<static_error::axis_out_of_range<static_op::sum, Axis, S>>();
    else {
        constexpr srange r = detail::sum_of(A::range, shapes::as_array(S{})[Axis]);
        return sarray_of<format_of<r>, detail::without_axis<S, Axis>>(fixvar::sum(a.array(), std::int64_t(Axis), false), "sum");
    }
}

/// Maximum of all elements (a 0-d sarray).
template <StaticArray A>
auto amax(const A& a) {
    return sarray<typename A::format>(amax(a.array()), "amax");
}

template <int Axis, StaticArray A>
auto amax(const A& a) {
    using S = typename A::shape_type;
    if constexpr (!detail::axis_ok<Axis, S>)
        return static_error::raise<static_error::axis_out_of_range<static_op::amax, Axis, S>>();
    else
        return sarray_of<typename A::format, detail::without_axis<S, Axis>>(amax(a.array(), Axis),
                                                                           "amax");
}

/// Joins arrays along an existing axis; the result's range is the hull of theirs.
template <int Axis, StaticArray A, StaticArray... B>
auto concatenate(const A& a, const B&... b) {
    using S = typename A::shape_type;
    constexpr auto same_outside_axis = [](auto other) {
        using T = typename decltype(other)::type;
        if constexpr (!detail::axis_ok<Axis, S> || T::rank != S::rank) return false;
        else return std::is_same_v<detail::without_axis<S, Axis>, detail::without_axis<T, Axis>>;
    };
    constexpr bool ok = (same_outside_axis(hana::type_c<typename B::shape_type>) && ...) &&
                        detail::axis_ok<Axis, S>;
    if constexpr (!ok) {
        using Bad = std::tuple_element_t<0, std::tuple<typename B::shape_type..., S>>;
        return static_error::raise<static_error::concatenate_shapes_differ<Axis, S, Bad>>();
    } else {
        constexpr srange r = [] {
            srange h = A::range;
            ((h = rules::hull(h, B::range)), ...);
            return h;
        }();
        constexpr auto dims = [] {
            auto d = shapes::as_array(S{});
            d[Axis] = (d[Axis] + ... + shapes::as_array(typename B::shape_type{})[Axis]);
            return d;
        }();
        return sarray_of<format_of<r>, shapes::of_array<dims>>(concatenate({a.array(), b.array()...}, Axis),
                                          "concatenate");
    }
}

}  // namespace fixvar
