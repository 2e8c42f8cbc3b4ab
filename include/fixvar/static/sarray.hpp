#pragma once
// sarray<fx<K, I, F>, D...>: a FixedVariableArray whose element format and shape live in its
// type. Every element lies in the format's exact range (all elements share one static range:
// the uniform-format case of the dynamic tracer's rules).
//
// It wraps the dynamic tracer: operations trace the ordinary graph through FixedVariableArray,
// so comb_trace, predict and VerilogModel take a static model unchanged (an sarray converts to
// `const FixedVariableArray&`). At trace time every result is checked: its shape and every
// element's exact range must lie inside the static type (an Error otherwise).
#include <fixvar/static/check.hpp>
#include <fixvar/static/errors.hpp>
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
        static_check::check_array(a_, shape_type::value(), rules::to_exact(range), op);
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
