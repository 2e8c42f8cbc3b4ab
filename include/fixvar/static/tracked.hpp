#pragma once
// The result formats of ops on tracked arrays (forms.hpp): each element's range and linear form,
// by the tracer's rules (sums: lin::add; products with weights: linear.hpp; reductions:
// shape_ops.hpp). Used by ops.hpp when an operand is tracked.
#include <fixvar/static/forms.hpp>
#include <fixvar/static/sarray.hpp>

namespace fixvar {

namespace detail {
/// A format whose elements have forms: tracked, or every element a single value (a constant).
template <typename F>
constexpr bool liftable() {
    if constexpr (TrackedFormat<F>)
        return true;
    else if constexpr (is_uniform<F>)
        return F::range.lo == F::range.hi;
    else
        return false;
}

/// Element j of F (tracked or constant) over the atoms of S.
template <typename F, typename S>
constexpr lin::elem lifted(std::size_t j) {
    if constexpr (TrackedFormat<F>)
        return lin::element<F, S>(j);
    else
        return lin::elem{F::at(j), lin::constant_form(F::at(j)), false};
}

template <typename F>
struct sources_of {
    using type = lin::sources<>;
};
template <TrackedFormat F>
struct sources_of<F> {
    using type = typename F::sources;
};
template <typename FA, typename FB>
using merged_sources = lin::merge<typename sources_of<FA>::type, typename sources_of<FB>::type>;
}  // namespace detail

/// New input ports of format F and shape D...: each call site is a distinct atom array, so sums
/// over values computed from this input narrow like the tracer's (sarray<F, D...>::input() is
/// untracked). Don't call one call site twice in a trace (a loop): the two arrays would share
/// an identity, which the trace-time range check reports.
template <Format F, std::size_t... D, typename Tag = decltype([] {})>
auto static_input() {
    if constexpr (!rules::valid_format(F::kif.k, F::kif.i, F::kif.f)) {
        return static_error::raise<static_error::impossible_format<static_op::input, F::kif.k, F::kif.i, F::kif.f>>();
    } else {
        constexpr std::size_t n = static_shape<D...>::size;
        constexpr srange_list<n> r = [] {
            srange_list<n> l{};
            for (srange& x : l.r) x = F::range;
            return l;
        }();
        using T = typename lin::atom_format<lin::input_id<Tag>, r>::type;
        return sarray<T, D...>(fixvar::input(static_shape<D...>::value(), F::kif), "input");
    }
}

namespace detail {
/// ±2^s * a (negation, shifts): forms read through, ranges by the interval rule.
template <typename F, int Mant, int Shift, auto Rule>
struct tracked_scale {
    static constexpr auto compute = [] {
        std::vector<lin::elem> v;
        for (std::size_t j = 0; j < F::size; ++j) {
            lin::elem e = lin::element<F>(j);
            v.push_back(lin::elem{Rule(e.r), lin::scaled(e.f, Dyadic{Mant, Shift}), false});
        }
        return v;
    };
    using type = typename lin::result<F::size, typename F::sources, lin::derived<F>, compute>::type;
};

/// A non-linear op (Rule(x, j): element j's range): each element is a new atom, unless
/// Same(x, j) (the tracer returns the operand node: relu of x >= 0, a quantize x fits) or the
/// result is a single value (a constant).
template <typename Op, typename F, auto Rule, auto Same>
struct tracked_atoms {
    static constexpr auto compute = [] {
        std::vector<lin::elem> v;
        for (std::size_t j = 0; j < F::size; ++j) {
            lin::elem e = lin::element<F>(j);
            srange r = Rule(e.r, j);
            if (Same(e.r, j))
                v.push_back(e);
            else if (r.lo == r.hi)
                v.push_back(lin::elem{r, lin::constant_form(r), false});
            else
                v.push_back(lin::elem{r, {}, true});
        }
        return v;
    };
    using type = typename lin::result<F::size, typename F::sources, lin::derived<Op, F>, compute>::type;
};
}  // namespace detail

}  // namespace fixvar
