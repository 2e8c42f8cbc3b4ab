#pragma once
// sarray<fx<K, I, F>, D...>: a FixedVariableArray whose element format and shape live in its
// type. Every element lies in the format's exact range: one range for all elements (fx), or one
// per element (fx_each: after a dense layer, a per-element quantizer, ...), equal to the
// dynamic tracer's exact range of that element.
//
// It wraps the dynamic tracer: operations trace the ordinary graph through FixedVariableArray,
// so comb_trace, predict and VerilogModel take a static model unchanged (an sarray converts to
// `const FixedVariableArray&`). At trace time every result is checked: its shape and every
// element's exact range must lie inside the static type (an Error otherwise).
#include <fixvar/static/check.hpp>
#include <fixvar/static/errors.hpp>
#include <fixvar/static/formats.hpp>
#include <fixvar/static/forms.hpp>
#include <fixvar/static/fx.hpp>
#include <fixvar/static/shape.hpp>

namespace fixvar {

namespace detail {
// Every element range of G lies inside F's.
template <typename F, typename G>
constexpr bool contains_all(std::size_t n) {
    for (std::size_t j = 0; j < n; ++j)
        if (!rules::contains(F::at(j), G::at(j))) return false;
    return true;
}
}  // namespace detail

template <Format F, std::size_t... D>
class sarray {
public:
    using format = F;
    using shape_type = static_shape<D...>;
    static constexpr fixvar::kif kif = F::kif;
    static constexpr srange range = F::range;
    static constexpr int width = F::width;
    /// The shape as a hana tuple of integral constants.
    static constexpr auto dims = shape_type::dims;
    static constexpr std::size_t rank = sizeof...(D);
    static constexpr std::size_t size = shape_type::size;

    /// Wraps a traced array, checking its shape and every element's exact range (Error naming
    /// `op` otherwise).
    explicit sarray(FixedVariableArray a, const char* op = "sarray") : a_(std::move(a)) {
        static_check::check_array(a_, shape_type::value(), element_ranges(), op);
    }

    /// Any sarray of this shape whose element ranges lie inside F's (e.g. a tracked one into a
    /// declared plain type: its forms are dropped, which is sound).
    template <Format G>
    requires(!std::is_same_v<G, F> && detail::contains_all<F, G>(static_shape<D...>::size))
        sarray(const sarray<G, D...>& o)
        : sarray(o.array(), "sarray") {}  // NOLINT: implicit

    /// New input ports of format F, one per element (row-major); untracked (static_input is).
    static auto input() {
        if constexpr (!rules::valid_format(F::kif.k, F::kif.i, F::kif.f))
            return static_error::raise<
                static_error::impossible_format<static_op::input, F::kif.k, F::kif.i, F::kif.f>>();
        else
            return sarray(fixvar::input(shape_type::value(), F::kif), "input");
    }

    const FixedVariableArray& array() const { return a_; }
    operator const FixedVariableArray&() const { return a_; }  // NOLINT: comb_trace({x}, {y})

private:
    // Each element's static range (one for a uniform format).
    static std::span<const ExactRange> element_ranges() {
        static constexpr auto ranges = [] {
            constexpr std::size_t n = detail::is_uniform<F> ? 1 : size;
            std::array<ExactRange, n> r{};
            for (std::size_t j = 0; j < n; ++j) r[j] = rules::to_exact(F::at(j));
            return r;
        }();
        return ranges;
    }

    FixedVariableArray a_;
};

namespace detail {
template <typename T>
struct is_sarray : std::false_type {};
template <typename F, std::size_t... D>
struct is_sarray<sarray<F, D...>> : std::true_type {};

template <typename F, typename Shape>
struct sarray_of_impl;
template <typename F, std::size_t... D>
struct sarray_of_impl<F, static_shape<D...>> {
    using type = sarray<F, D...>;
};

template <typename T>
struct element_format {
    using type = T;  // an fx itself
};
template <typename F, std::size_t... D>
struct element_format<sarray<F, D...>> {
    using type = F;
};
}  // namespace detail

template <typename T>
concept StaticArray = detail::is_sarray<std::remove_cvref_t<T>>::value;

/// sarray of a format and a static_shape<...>.
template <Format F, typename Shape>
using sarray_of = typename detail::sarray_of_impl<F, Shape>::type;

/// New input ports with per-element formats Q (a constexpr fixvar::formats<D...>, e.g. HGQ's
/// input quantizers written by `fixvar embed`): element j has format Q.values[j]. Tracked
/// (forms.hpp): each call site is a distinct atom array.
template <const auto& Q, typename Tag = decltype([] {})>
auto sarray_input() {
    using S = typename std::remove_cvref_t<decltype(Q)>::shape_type;
    if constexpr (Q.first_invalid() != Q.size) {
        constexpr kif bad = Q.values[Q.first_invalid()];
        return static_error::raise<static_error::impossible_format<static_op::input, bad.k, bad.i, bad.f>>();
    } else {
        constexpr srange_list<Q.size> list = [] {
            srange_list<Q.size> l{};
            for (std::size_t j = 0; j < Q.size; ++j)
                l.r[j] = rules::of_format(Q.values[j].k, Q.values[j].i, Q.values[j].f);
            return l;
        }();
        std::vector<kif> q(Q.values.begin(), Q.values.end());
        using T = typename lin::atom_format<lin::input_id<Tag>, list>::type;
        return sarray_of<T, S>(fixvar::input(S::value(), FormatArray(std::move(q), S::value())), "input");
    }
}

/// The element format of an sarray type (or an fx type itself).
template <typename T>
using format_t = typename detail::element_format<std::remove_cvref_t<T>>::type;

/// Formats, widths and shapes as constexpr values.
template <typename T>
inline constexpr kif kif_v = format_t<T>::kif;
template <typename T>
inline constexpr int width_v = format_t<T>::width;
template <typename T>
inline constexpr srange range_v = format_t<T>::range;
template <StaticArray T>
inline constexpr auto shape_v = std::remove_cvref_t<T>::dims;

/// The bit budget: fails the build (naming the budget, the width and the format) when x's
/// elements are wider than Budget bits; returns x.
template <int Budget, StaticArray A>
decltype(auto) require_width(A&& x) {
    using F = format_t<A>;
    if constexpr (F::width > Budget)
        return static_error::raise<static_error::width_exceeds_budget<Budget, F::width, F>>();
    else
        return std::forward<A>(x);
}

}  // namespace fixvar
