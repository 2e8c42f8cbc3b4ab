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
#include <fixvar/static/fx.hpp>
#include <fixvar/static/shape.hpp>

namespace fixvar {

template <Format F, std::size_t... D>
class sarray {
public:
    using format = F;
    using shape_type = shape<D...>;
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

    /// New input ports of format F, one per element (row-major).
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
struct sarray_of_impl<F, shape<D...>> {
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

/// sarray of a format and a shape<...>.
template <Format F, typename Shape>
using sarray_of = typename detail::sarray_of_impl<F, Shape>::type;

/// New input ports with per-element formats Q (a constexpr fixvar::formats<D...>, e.g. HGQ's
/// input quantizers written by `fixvar embed`): element j has format Q.values[j].
template <const auto& Q>
auto sarray_input() {
    using S = typename std::remove_cvref_t<decltype(Q)>::shape_type;
    if constexpr (Q.first_invalid() != Q.size) {
        constexpr kif bad = Q.values[Q.first_invalid()];
        return static_error::raise<static_error::impossible_format<static_op::input, bad.k, bad.i, bad.f>>();
    } else {
        constexpr auto ranges = [] {
            std::array<srange, Q.size> r{};
            for (std::size_t j = 0; j < Q.size; ++j)
                r[j] = rules::of_format(Q.values[j].k, Q.values[j].i, Q.values[j].f);
            return r;
        }();
        std::vector<kif> q(Q.values.begin(), Q.values.end());
        return sarray_of<formats_of<ranges>, S>(
            fixvar::input(S::value(), FormatArray(std::move(q), S::value())), "input");
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
