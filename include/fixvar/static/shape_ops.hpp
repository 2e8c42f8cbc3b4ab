#pragma once
// Shape operations and reductions on sarrays (numpy semantics, shapes checked at compile time):
//   reshape<D...>(x)            same elements, same ranges
//   transpose(x), transpose<P...>(x)   axes reversed / permuted, element ranges permuted
//   concatenate<Axis>(a, b...)  each element keeps its range
//   sum(x), sum<Axis>(x)        per output element, the tracer's balanced adder tree over its
//                               terms' ranges (interval sums)
//   amax(x), amax<Axis>(x)      the same tree with the max rule (tracked: an output the tree
//                               decides is that element, form and all; else a new atom)
#include <boost/hana/at.hpp>
#include <boost/hana/erase_key.hpp>
#include <boost/hana/remove_at.hpp>
#include <boost/hana/reverse.hpp>

#include <fixvar/core/shape_rules.hpp>
#include <fixvar/static/ops.hpp>
#include <fixvar/trace/reduce.hpp>

namespace fixvar {

template <std::size_t... To, StaticArray A>
auto reshape(const A& a) {
    using From = typename A::shape_type;
    constexpr auto fits = [] {  // the rule the tracer applies (core/shape_rules.hpp)
        std::array<std::int64_t, sizeof...(To)> to{std::int64_t(To)...}, out{};
        return reshape_into(to, std::int64_t(From::size), out).problem == ReshapeProblem::none;
    }();
    if constexpr (!fits)
        return static_error::raise<static_error::reshape_sizes_differ<From, static_shape<To...>>>();
    else
        return sarray<typename A::format, To...>(reshape(a.array(), static_shape<To...>::value()), "reshape");
}

namespace detail {
// Output element j of a transpose to shape R (axes Perm of A) is input element index[j].
template <typename A, typename R, auto Perm>
constexpr std::array<std::size_t, R::size> permuted_index() {
    auto in = shapes::as_array(typename A::shape_type{});
    auto out = shapes::as_array(R{});
    std::array<std::size_t, R::size> r{};
    for (std::size_t j = 0; j < R::size; ++j) {
        std::array<std::size_t, A::rank> idx{};
        for (std::size_t k = A::rank, rest = j; k-- > 0; rest /= out[k]) idx[Perm[k]] = rest % out[k];
        std::size_t flat = 0;
        for (std::size_t k = 0; k < A::rank; ++k) flat = flat * in[k] + idx[k];
        r[j] = flat;
    }
    return r;
}

template <typename A, typename R, auto Perm>
constexpr auto permuted_ranges() {
    using F = typename A::format;
    if constexpr (is_uniform<F>) {
        return std::array<srange, 1>{F::range};
    } else {
        constexpr auto index = permuted_index<A, R, Perm>();
        std::array<srange, R::size> r{};
        for (std::size_t j = 0; j < R::size; ++j) r[j] = F::at(index[j]);
        return r;
    }
}

// A tracked array's elements rearranged (transpose): each keeps its range and form.
template <typename F, auto Index>
struct tracked_gather {
    static constexpr auto compute = [] {
        std::vector<lin::elem> v;
        for (std::size_t j : Index) v.push_back(lin::element<F>(j));
        return v;
    };
    using type = typename lin::result<Index.size(), typename F::sources, lin::derived<F>, compute>::type;
};

// The format of a transpose to R (axes Perm): tracked stays tracked.
template <typename A, typename R, auto Perm>
struct transposed_format {
    static constexpr auto r = permuted_ranges<A, R, Perm>();
    using type = formats_of<r>;
};
template <typename A, typename R, auto Perm>
requires TrackedFormat<typename A::format>
struct transposed_format<A, R, Perm> {
    using type = typename tracked_gather<typename A::format, permuted_index<A, R, Perm>()>::type;
};
}  // namespace detail

template <std::size_t... Perm, StaticArray A>
auto transpose(const A& a) {
    using S = typename A::shape_type;
    if constexpr (sizeof...(Perm) == 0) {
        using R = shapes::of<decltype(hana::reverse(S::dims))>;  // no lambda: fine in an alias
        constexpr auto perm = [] {
            std::array<std::size_t, S::rank> p{};
            for (std::size_t j = 0; j < S::rank; ++j) p[j] = S::rank - 1 - j;
            return p;
        }();
        using T = typename detail::transposed_format<A, R, perm>::type;
        return sarray_of<T, R>(transpose(a.array()), "transpose");
    } else {
        constexpr auto is_permutation = [] {  // the tracer's rule (core/shape_rules.hpp)
            std::array<std::int64_t, sizeof...(Perm)> perm{std::int64_t(Perm)...};
            return ((Perm < S::rank) && ...) &&  // size_t axes: none counts from the end
                   check_permutation(perm, S::rank).problem == PermutationProblem::none;
        }();
        if constexpr (!is_permutation)
            return static_error::raise<static_error::bad_permutation<S, Perm...>>();
        else {
            using R = static_shape<shapes::as_array(S{})[Perm]...>;
            using T = typename detail::transposed_format<A, R, std::array<std::size_t, S::rank>{Perm...}>::type;
            return sarray_of<T, R>(transpose(a.array(), {std::int64_t(Perm)...}), "transpose");
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

// The tracer's balanced tree (reduce.cpp: adjacent pairs first) over ranges.
template <std::size_t N>
constexpr srange tree_of(std::array<srange, N> v, std::size_t n, bool is_max) {
    while (n > 1) {
        std::size_t m = 0;
        for (std::size_t j = 0; j + 1 < n; j += 2)
            v[m++] = is_max ? rules::extremum(v[j], v[j + 1], true) : rules::add(v[j], v[j + 1]);
        if (n % 2) v[m++] = v[n - 1];
        n = m;
    }
    return v[0];
}

// Per output element, the tree over axis Axis (Axis < 0: all elements, a 0-d result).
template <typename A, int Axis, bool IsMax>
constexpr auto reduced_ranges() {
    using S = typename A::shape_type;
    using F = typename A::format;
    auto d = shapes::as_array(S{});
    std::size_t len = Axis < 0 ? S::size : d[std::size_t(Axis)];
    std::size_t inner = 1;  // stride of the axis
    if (Axis >= 0)
        for (std::size_t k = std::size_t(Axis) + 1; k < S::rank; ++k) inner *= d[k];
    constexpr std::size_t outs = [] {
        if constexpr (Axis < 0)
            return std::size_t(1);
        else
            return shapes::as_array(without_axis<S, Axis>{}).size() == 0 ? 1 : without_axis<S, Axis>::size;
    }();
    std::array<srange, outs> r{};
    std::array<srange, S::size == 0 ? 1 : S::size> terms{};
    for (std::size_t o = 0; o < outs; ++o) {
        std::size_t base = Axis < 0 ? 0 : (o / inner) * len * inner + o % inner;
        for (std::size_t t = 0; t < len; ++t) terms[t] = F::at(Axis < 0 ? t : base + t * inner);
        r[o] = len == 0 ? srange{} : tree_of(terms, len, IsMax);
    }
    return r;
}
}  // namespace detail

namespace detail {
// Ids of the sums a reduction turns into atoms (over the budget): past every source's atoms.
inline constexpr std::uint32_t local_atom = 0x40000000u;

// The tracer's balanced tree of adds over tracked terms; a partial sum over the budget becomes
// an atom of its own (local: an output whose form keeps one is an atom itself).
template <typename S>
constexpr lin::elem tracked_tree(std::vector<lin::elem> v) {
    std::vector<srange> local;
    auto range_of = [&](std::uint32_t atom) {
        return atom >= local_atom ? ExactRange(local[atom - local_atom]) : S::range(atom);
    };
    while (v.size() > 1) {
        std::vector<lin::elem> next;
        for (std::size_t j = 0; j + 1 < v.size(); j += 2) {
            lin::elem e = lin::add(v[j], v[j + 1], false, range_of);
            if (e.own) {
                e.f = {LinearTerm{1, 0, std::uint32_t(local_atom + local.size())}};
                e.own = false;
                local.push_back(e.r);
            }
            next.push_back(e);
        }
        if (v.size() % 2) next.push_back(v.back());
        v = std::move(next);
    }
    if (v.empty()) return lin::elem{};
    for (const LinearTerm& t : v[0].f)
        if (t.atom != linear_constant_atom && t.atom >= local_atom) v[0].own = true;
    return v[0];
}

// The tracer's balanced tree of max nodes over tracked terms: an operand the ranges prove
// larger is passed through (form and all); an undecided pair is a new node (local: an output
// that is one is an atom of the reduction's own array).
inline constexpr lin::elem tracked_max_tree(std::vector<lin::elem> v) {
    while (v.size() > 1) {
        std::vector<lin::elem> next;
        for (std::size_t j = 0; j + 1 < v.size(); j += 2) {
            switch (decided_extremum(v[j].r, v[j + 1].r, true)) {
                case Extremum::first: next.push_back(v[j]); continue;
                case Extremum::second: next.push_back(v[j + 1]); continue;
                case Extremum::undecided: break;
            }
            srange r = rules::extremum(v[j].r, v[j + 1].r, true);
            if (r.lo == r.hi)
                next.push_back(lin::elem{r, lin::constant_form(r), false});
            else
                next.push_back(lin::elem{r, {}, true});
        }
        if (v.size() % 2) next.push_back(v.back());
        v = std::move(next);
    }
    if (v.empty()) return lin::elem{};
    return v[0];
}

// Per output element of a reduction (Op: sum or amax) over axis Axis (< 0: all), the tracer's
// balanced tree over its terms: adders for a sum, max nodes for an amax.
template <typename A, int Axis, std::size_t Outs, typename Op>
struct tracked_fold {
    using F = typename A::format;
    static constexpr auto compute = [] {
        using S = typename A::shape_type;
        auto d = shapes::as_array(S{});
        std::size_t len = Axis < 0 ? S::size : d[std::size_t(Axis)], inner = 1;
        if (Axis >= 0)
            for (std::size_t k = std::size_t(Axis) + 1; k < S::rank; ++k) inner *= d[k];
        std::vector<lin::elem> out;
        for (std::size_t o = 0; o < Outs; ++o) {
            std::size_t base = Axis < 0 ? 0 : (o / inner) * len * inner + o % inner;
            std::vector<lin::elem> terms;
            for (std::size_t t = 0; t < len; ++t) terms.push_back(lin::element<F>(Axis < 0 ? t : base + t * inner));
            if constexpr (std::is_same_v<Op, static_op::sum>)
                out.push_back(tracked_tree<typename F::sources>(std::move(terms)));
            else
                out.push_back(tracked_max_tree(std::move(terms)));
        }
        return out;
    };
    using type = typename lin::result<Outs, typename F::sources, lin::derived<Op, A, std::integral_constant<int, Axis>>,
                                      compute>::type;
};
}  // namespace detail

/// Sum of all elements (a 0-d sarray).
template <StaticArray A>
auto sum(const A& a) {
    if constexpr (TrackedFormat<typename A::format>) {
        using R = typename detail::tracked_fold<A, -1, 1, static_op::sum>::type;
        return sarray<R>(sum(a.array()), "sum");
    } else {
        constexpr auto r = detail::reduced_ranges<A, -1, false>();
        return sarray<formats_of<r>>(sum(a.array()), "sum");
    }
}

/// Sum along one axis (removed).
template <int Axis, StaticArray A>
auto sum(const A& a) {
    using S = typename A::shape_type;
    if constexpr (!detail::axis_ok<Axis, S>)
        return static_error::raise<static_error::axis_out_of_range<static_op::sum, Axis, S>>();
    else if constexpr (TrackedFormat<typename A::format>) {
        using Out = detail::without_axis<S, Axis>;
        using R = typename detail::tracked_fold<A, Axis, Out::size, static_op::sum>::type;
        return sarray_of<R, Out>(fixvar::sum(a.array(), std::int64_t(Axis), false), "sum");
    } else {
        constexpr auto r = detail::reduced_ranges<A, Axis, false>();
        return sarray_of<formats_of<r>, detail::without_axis<S, Axis>>(
            fixvar::sum(a.array(), std::int64_t(Axis), false), "sum");
    }
}

/// Maximum of all elements (a 0-d sarray).
template <StaticArray A>
auto amax(const A& a) {
    if constexpr (TrackedFormat<typename A::format>) {
        using R = typename detail::tracked_fold<A, -1, 1, static_op::amax>::type;
        return sarray<R>(amax(a.array()), "amax");
    } else {
        constexpr auto r = detail::reduced_ranges<A, -1, true>();
        return sarray<formats_of<r>>(amax(a.array()), "amax");
    }
}

template <int Axis, StaticArray A>
auto amax(const A& a) {
    using S = typename A::shape_type;
    if constexpr (!detail::axis_ok<Axis, S>)
        return static_error::raise<static_error::axis_out_of_range<static_op::amax, Axis, S>>();
    else if constexpr (TrackedFormat<typename A::format>) {
        using Out = detail::without_axis<S, Axis>;
        using R = typename detail::tracked_fold<A, Axis, Out::size, static_op::amax>::type;
        return sarray_of<R, Out>(amax(a.array(), Axis), "amax");
    } else {
        constexpr auto r = detail::reduced_ranges<A, Axis, true>();
        return sarray_of<formats_of<r>, detail::without_axis<S, Axis>>(amax(a.array(), Axis), "amax");
    }
}

/// Joins arrays along an existing axis; the result's range is the hull of theirs.
namespace detail {
template <typename... F>
struct all_sources;
template <typename F>
struct all_sources<F> {
    using type = typename sources_of<F>::type;
};
template <typename F, typename G, typename... H>
struct all_sources<F, G, H...> {
    using type = typename all_sources<merged_sources<F, G>, H...>::type;
};
template <typename... S>
struct sources_of<lin::sources<S...>> {  // a merged list stands for itself
    using type = lin::sources<S...>;
};

// Tracked concatenation: the operands' elements in output order (outer positions, then each
// operand's block along the axis), over the merged atom list.
template <int Axis, typename Out, typename... A>
struct tracked_concat {
    using S = typename all_sources<typename A::format...>::type;
    static constexpr auto compute = [] {
        auto dims = shapes::as_array(Out{});
        std::size_t outer = 1, inner = 1;  // the dimensions before / after the axis
        for (std::size_t k = 0; k < dims.size(); ++k) {
            if (k < std::size_t(Axis)) outer *= dims[k];
            if (k > std::size_t(Axis)) inner *= dims[k];
        }
        std::vector<lin::elem> v;
        for (std::size_t o = 0; o < outer; ++o) {
            auto take = [&](auto arg) {
                using T = typename decltype(arg)::type;
                std::size_t block = shapes::as_array(typename T::shape_type{})[Axis] * inner;
                for (std::size_t t = 0; t < block; ++t) v.push_back(lifted<typename T::format, S>(o * block + t));
            };
            (take(hana::type_c<A>), ...);
        }
        return v;
    };
    using type = typename lin::result<Out::size, S, lin::derived<Out, A...>, compute>::type;
};
template <typename... A>
constexpr bool tracked_operands = (TrackedFormat<typename A::format> || ...) && (liftable<typename A::format>() && ...);
}  // namespace detail

template <int Axis, StaticArray A, StaticArray... B>
auto concatenate(const A& a, const B&... b) {
    using S = typename A::shape_type;
    constexpr auto same_outside_axis = [](auto other) {
        using T = typename decltype(other)::type;
        if constexpr (!detail::axis_ok<Axis, S> || T::rank != S::rank)
            return false;
        else
            return std::is_same_v<detail::without_axis<S, Axis>, detail::without_axis<T, Axis>>;
    };
    constexpr bool ok = (same_outside_axis(hana::type_c<typename B::shape_type>) && ...) && detail::axis_ok<Axis, S>;
    if constexpr (!ok) {
        using Bad = std::tuple_element_t<0, std::tuple<typename B::shape_type..., S>>;
        return static_error::raise<static_error::concatenate_shapes_differ<Axis, S, Bad>>();
    } else {
        constexpr auto dims = [] {
            auto d = shapes::as_array(S{});
            d[Axis] = (d[Axis] + ... + shapes::as_array(typename B::shape_type{})[Axis]);
            return d;
        }();
        using Out = shapes::of_array<dims>;
        if constexpr (detail::tracked_operands<A, B...>)
            return sarray_of<typename detail::tracked_concat<Axis, Out, A, B...>::type, Out>(
                concatenate({a.array(), b.array()...}, Axis), "concatenate");
        else {
            // Output element j: which operand, and its flat index there.
            constexpr auto r = [&] {
                std::size_t outer = 1, inner = 1;  // the dimensions before / after the axis
                for (std::size_t k = 0; k < S::rank; ++k) {
                    if (k < std::size_t(Axis)) outer *= dims[k];
                    if (k > std::size_t(Axis)) inner *= dims[k];
                }
                std::array<srange, Out::size> out{};
                std::size_t j = 0;
                for (std::size_t o = 0; o < outer; ++o) {
                    auto take = [&](auto fmt, std::size_t len) {
                        using F = typename decltype(fmt)::type;
                        for (std::size_t t = 0; t < len * inner; ++t) out[j++] = F::at(o * len * inner + t);
                    };
                    take(hana::type_c<typename A::format>, shapes::as_array(S{})[Axis]);
                    (take(hana::type_c<typename B::format>, shapes::as_array(typename B::shape_type{})[Axis]), ...);
                }
                return out;
            }();
            return sarray_of<formats_of<r>, Out>(concatenate({a.array(), b.array()...}, Axis), "concatenate");
        }
    }
}

}  // namespace fixvar
