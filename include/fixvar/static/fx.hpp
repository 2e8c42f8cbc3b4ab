#pragma once
// fx<K, I, F>: a fixed-point format in the type system (the same kif semantics as core/kif.hpp).
//
// The fourth parameter is the exact range the values are known to lie in; it defaults to the
// whole format, so fx<1, 3, 4> is what a user writes, and results of operations carry their
// exact range (fx<0, 4, 0, srange{0, 9, 0}> is "x * 3" for x of fx<0, 2, 0>: [0, 9], not
// [0, 15]). K, I, F are always the minimal kif of that range — the dynamic tracer's kif.
#include <algorithm>
#include <array>

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
    /// Element j's exact range (every element: R).
    static constexpr srange at(std::size_t) { return R; }
};

/// Exact ranges of N elements, as a template argument (a C array: structural).
template <std::size_t N>
struct srange_list {
    srange r[N];
    friend constexpr bool operator==(const srange_list&, const srange_list&) = default;
};

/// Per-element formats: element j has the exact range L.r[j] and its minimal kif, as in the
/// tracer after a dense layer (one range per column) or a per-element quantizer. kif and range
/// are the hull's; width is the widest element's (what each output port needs).
template <srange_list L>
struct fx_each {
    static constexpr std::size_t size = sizeof(L.r) / sizeof(srange);
    static constexpr srange at(std::size_t j) { return L.r[j]; }
    static constexpr srange range = [] {
        srange h = L.r[0];
        for (const srange& x : L.r) h = rules::hull(h, x);
        return h;
    }();
    static constexpr fixvar::kif kif = rules::minimal_kif(range);
    static constexpr int width = [] {
        int w = 0;
        for (const srange& x : L.r) w = std::max(w, rules::minimal_kif(x).width());
        return w;
    }();
};

namespace detail {
template <typename T>
struct is_fx : std::false_type {};
template <int K, int I, int F, srange R>
struct is_fx<fx<K, I, F, R>> : std::true_type {};
template <srange_list L>
struct is_fx<fx_each<L>> : std::true_type {};

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

namespace detail {
template <std::size_t N, std::array<srange, N> A>
constexpr bool all_equal() {
    for (const srange& x : A)
        if (!(x == A[0])) return false;
    return true;
}
template <std::size_t N, std::array<srange, N> A>
constexpr srange_list<N> as_list() {
    srange_list<N> l{};
    for (std::size_t j = 0; j < N; ++j) l.r[j] = A[j];
    return l;
}
template <std::size_t N, std::array<srange, N> A>
constexpr srange first_range() {
    if constexpr (N == 0)
        return srange{};
    else
        return A[0];
}
template <std::size_t N, std::array<srange, N> A, bool Uniform = N == 0 || all_equal<N, A>()>
struct formats_of_impl {
    static constexpr srange first = first_range<N, A>();
    static constexpr fixvar::kif q = rules::minimal_kif(first);
    using type = fx<q.k, q.i, q.f, first>;  // one range: the plain fx
};
template <std::size_t N, std::array<srange, N> A>
struct formats_of_impl<N, A, false> {
    using type = fx_each<as_list<N, A>()>;
};
}  // namespace detail

namespace detail {
template <typename F>
inline constexpr bool is_uniform = true;
template <srange_list L>
inline constexpr bool is_uniform<fx_each<L>> = false;
}  // namespace detail

/// The format type of per-element exact ranges: fx when they are all equal, else fx_each.
template <auto A>
using formats_of = typename detail::formats_of_impl<A.size(), A>::type;

}  // namespace fixvar
