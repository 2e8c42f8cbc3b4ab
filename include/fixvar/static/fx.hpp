#pragma once
// fx<K, I, F>: a fixed-point format in the type system (the same kif semantics as core/kif.hpp).
//
// The fourth parameter is the exact range the values are known to lie in; it defaults to the
// whole format, so fx<1, 3, 4> is what a user writes, and results of operations carry their
// exact range (fx<0, 4, 0, srange{0, 9, 0}> is "x * 3" for x of fx<0, 2, 0>: [0, 9], not
// [0, 15]). K, I, F are always the minimal kif of that range — the dynamic tracer's kif.
#include <boost/hana/integral_constant.hpp>

#include <fixvar/static/rules.hpp>

namespace fixvar {

using rules::srange;

template <int K, int I, int F, srange R = rules::of_format(K, I, F)>
struct fx {
    static constexpr fixvar::kif kif{K, I, F};
    static constexpr srange range = R;
    static constexpr int width = K + I + F;
    static constexpr auto k = boost::hana::int_c<K>;
    static constexpr auto i = boost::hana::int_c<I>;
    static constexpr auto f = boost::hana::int_c<F>;
};

namespace detail {
template <typename T>
struct is_fx : std::false_type {};
template <int K, int I, int F, srange R>
struct is_fx<fx<K, I, F, R>> : std::true_type {};

// The format type of an exact range (its minimal kif, and the range itself).
template <srange R, kif Q = rules::minimal_kif(R)>
struct format_of_impl {
    using type = fx<Q.k, Q.i, Q.f, R>;
};
}  // namespace detail

template <typename T>
concept Format = detail::is_fx<T>::value;

/// The fx type of an exact range.
template <srange R>
using format_of = typename detail::format_of_impl<R>::type;

}  // namespace fixvar
