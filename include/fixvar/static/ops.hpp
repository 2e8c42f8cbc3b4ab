#pragma once
// Elementwise operations on sarrays. The result type comes from the range rules (rules.hpp) on
// the operands' static ranges; shapes broadcast like numpy (shape.hpp, by the tracer's rule in
// core/shape_rules.hpp), checked at compile time. The traced result is checked against the type
// (sarray's constructor).
//
//   x + y, x - y, x * y   interval sum / difference / corner products
//   -x, abs(x), relu(x)   [-hi, -lo] / [0 or |.|min, max|.|] / [max(lo,0), max(hi,0)]
//   max(x, y), min(x, y)  an operand the ranges prove larger (smaller), else [max lo, max hi]
// On tracked operands (tracked.hpp; the other one tracked or constant) sums combine linear
// forms; products of two variables and undecided max/min elements are new atoms.
//   x << s, x >> s        s a compile-time integer (fixed_c<2>, or a hana::int_c<2>): a wire
//   quantize<fx<K, I, F>, Round, Overflow>(x)   core/quantize.hpp's rule
// Compile-time scalars fixed_c<V> (V an integer, a double, a decimal string) broadcast like 0-d
// arrays: x * fixed_c<3>, x + fixed_c<0.5>.
#include <boost/hana/integral_constant.hpp>
#include <fixvar/static/sarray.hpp>
#include <fixvar/static/tracked.hpp>
#include <fixvar/static/weights.hpp>
#include <fixvar/trace/elementwise.hpp>

namespace fixvar {

/// A compile-time scalar operand.
template <weight V>
struct fixed_constant {
    static constexpr weight value = V;
};
template <weight V>
inline constexpr fixed_constant<V> fixed_c{};

namespace detail {
template <typename T>
struct is_fixed_constant : std::false_type {};
template <weight V>
struct is_fixed_constant<fixed_constant<V>> : std::true_type {};

template <typename T>
concept ScalarConstant = is_fixed_constant<std::remove_cvref_t<T>>::value;
/// A compile-time shift amount: fixed_c<2> or a hana / std integral constant.
template <typename T>
concept ShiftAmount = ScalarConstant<T> || hana::IntegralConstant<std::remove_cvref_t<T>>::value;

template <typename S>
constexpr int shift_amount() {
    using T = std::remove_cvref_t<S>;
    if constexpr (ScalarConstant<T>)
        return int(T::value.mant) << T::value.exp;
    else
        return int(T::value);
}

// The result of a rule (a format type, uniform or per element), or the error of a too-wide one.
template <typename Op, typename R, typename FA, typename FB, typename Shape>
auto static_result(FixedVariableArray dyn, const char* name) {
    if constexpr (R::width > max_width)
        return static_error::raise<static_error::result_too_wide<Op, FA, FB>>();
    else
        return sarray_of<R, Shape>(std::move(dyn), name);
}

/// Flat index into an operand of shape In of the output element `flat` of shape Out (numpy
/// broadcasting: shapes aligned on the right, dimensions of 1 repeated).
template <typename Out, typename In>
constexpr std::size_t source_index(std::size_t flat) {
    constexpr auto od = shapes::as_array(Out{});
    constexpr auto id = shapes::as_array(In{});
    std::size_t idx = 0, stride = 1;
    for (std::size_t k = od.size(); k-- > 0;) {
        std::size_t digit = od[k] ? flat % od[k] : 0;
        flat = od[k] ? flat / od[k] : 0;
        if (k + id.size() < od.size()) continue;
        std::size_t kd = k + id.size() - od.size();
        if (id[kd] != 1) idx += digit * stride;
        stride *= id[kd];
    }
    return idx;
}

// The per-element ranges of `rule(a, b)` over the broadcast shape Out (a single range when both
// operands are uniform: the rule runs once).
template <typename Out, typename SA, typename SB, auto Rule>
constexpr auto binary_ranges() {
    using FA = typename SA::format;
    using FB = typename SB::format;
    if constexpr (is_uniform<FA> && is_uniform<FB>) {
        return std::array<srange, 1>{Rule(FA::range, FB::range)};
    } else {
        std::array<srange, Out::size> r{};
        for (std::size_t j = 0; j < Out::size; ++j)
            r[j] = Rule(FA::at(source_index<Out, typename SA::shape_type>(j)),
                        FB::at(source_index<Out, typename SB::shape_type>(j)));
        return r;
    }
}

template <typename F, auto Rule>
constexpr auto unary_ranges() {
    if constexpr (is_uniform<F>) {
        return std::array<srange, 1>{Rule(F::range)};
    } else {
        std::array<srange, F::size> r{};
        for (std::size_t j = 0; j < F::size; ++j) r[j] = Rule(F::at(j));
        return r;
    }
}

// A compile-time scalar as a 0-d constant sarray.
template <ScalarConstant C>
auto as_static(C) {
    constexpr weight v = std::remove_cvref_t<C>::value;
    static_assert(v.is_accepted(),
                  "fixed_c<V>: V is not dyadic (not m * 2^e), or a double with "
                  "more than 32 significant bits");
    constexpr srange r{v.mant, v.mant, v.exp};
    const TraceContext& ctx = current_trace();
    return sarray<format_of<r>>(FixedVariableArray(FixedVariable(ctx, ctx->constant(v.dyadic()))), "constant");
}
template <StaticArray A>
const A& as_static(const A& a) {
    return a;
}

template <typename T>
concept StaticOperand = StaticArray<T> || ScalarConstant<T>;
template <typename A, typename B>
concept StaticPair = StaticOperand<A> && StaticOperand<B> &&(StaticArray<A> || StaticArray<B>);

/// The tracked result of an elementwise binary op over the broadcast shape Out (both operands
/// liftable): element j is Combine(a_j, b_j, the sources' range), and the array is identified by
/// Tag and both operand types (the tracer interns the same op on the same nodes to one node).
template <typename Out, typename SA, typename SB, typename Tag, auto Combine>
struct tracked_binary {
    using FA = typename SA::format;
    using FB = typename SB::format;
    using S = merged_sources<FA, FB>;
    static constexpr auto compute = [] {
        std::vector<lin::elem> v;
        for (std::size_t j = 0; j < Out::size; ++j)
            v.push_back(Combine(lifted<FA, S>(source_index<Out, typename SA::shape_type>(j)),
                                lifted<FB, S>(source_index<Out, typename SB::shape_type>(j)), S::range));
        return v;
    };
    using type = typename lin::result<Out::size, S, lin::derived<Tag, SA, SB, Out>, compute>::type;
};

/// a ± b: the form rule (tracked.hpp). The op is part of the identity: a + b and a - b over the
/// budget are different atoms.
template <bool Subtract>
inline constexpr auto sum_element =
    [](const lin::elem& a, const lin::elem& b, const auto& range) { return lin::add(a, b, Subtract, range); };

/// a * b: a constant when the corner products are one value; with a constant factor the
/// tracer's mul_const (the range is the corner products, the form the other operand's scaled
/// by the constant); a product of two variables is a new atom (the tracer's Mul node).
inline constexpr auto product_element = [](const lin::elem& a, const lin::elem& b, const auto&) {
    srange r = rules::mul(a.r, b.r);
    const lin::elem& var = a.r.lo == a.r.hi ? b : a;
    const srange& k = a.r.lo == a.r.hi ? a.r : b.r;
    if (r.lo == r.hi) return lin::elem{r, lin::constant_form(r), false};
    if (a.r.lo == a.r.hi || b.r.lo == b.r.hi) return lin::elem{r, lin::scaled(var.f, Dyadic{k.lo, k.exp}), false};
    return lin::elem{r, {}, true};
};

/// max / min: the operand the ranges prove larger (smaller) is the answer itself (the tracer
/// returns that node, form and all); otherwise a new atom. Two operands that are one node
/// (max(x, x)) are still a new atom here: looser than the tracer, which returns x, never tighter.
template <bool IsMax>
inline constexpr auto extremum_element = [](const lin::elem& a, const lin::elem& b, const auto&) {
    switch (decided_extremum(a.r, b.r, IsMax)) {
        case Extremum::first: return a;
        case Extremum::second: return b;
        case Extremum::undecided: break;
    }
    srange r = rules::extremum(a.r, b.r, IsMax);
    if (r.lo == r.hi) return lin::elem{r, lin::constant_form(r), false};
    return lin::elem{r, {}, true};
};

template <typename Out, typename SA, typename SB, bool Subtract>
using tracked_sum = tracked_binary<Out, SA, SB, std::bool_constant<Subtract>, sum_element<Subtract>>;
template <typename Out, typename SA, typename SB>
using tracked_product = tracked_binary<Out, SA, SB, static_op::mul, product_element>;
template <typename Out, typename SA, typename SB, bool IsMax>
using tracked_extremum =
    tracked_binary<Out, SA, SB, std::conditional_t<IsMax, static_op::max, static_op::min>, extremum_element<IsMax>>;

// Sums whose operands are tracked (or constant) take the form rule (tracked.hpp).
template <typename Op, typename SA, typename SB>
constexpr bool tracked_linear = (std::is_same_v<Op, static_op::add> || std::is_same_v<Op, static_op::sub>)&&(
                                    TrackedFormat<typename SA::format> ||
                                    TrackedFormat<typename SB::format>)&&liftable<typename SA::format>() &&
                                liftable<typename SB::format>();
// Products, max and min of tracked (or constant) operands: per element a scaled form, an
// operand passed through, or a new atom. An untracked variable operand falls back to the plain
// rule: its type does not identify its nodes, so it cannot name an atom array.
template <typename Op, typename SA, typename SB>
constexpr bool tracked_nonlinear =
    (std::is_same_v<Op, static_op::mul> || std::is_same_v<Op, static_op::max> ||
     std::is_same_v<Op, static_op::min>)&&(TrackedFormat<typename SA::format> ||
                                           TrackedFormat<typename SB::format>)&&liftable<typename SA::format>() &&
    liftable<typename SB::format>();

template <typename Op, typename Out, typename SA, typename SB>
struct tracked_binary_impl {
    using type = typename tracked_product<Out, SA, SB>::type;
};
template <typename Out, typename SA, typename SB>
struct tracked_binary_impl<static_op::max, Out, SA, SB> {
    using type = typename tracked_extremum<Out, SA, SB, true>::type;
};
template <typename Out, typename SA, typename SB>
struct tracked_binary_impl<static_op::min, Out, SA, SB> {
    using type = typename tracked_extremum<Out, SA, SB, false>::type;
};

template <typename Op, auto Rule, typename DynamicOp, typename SA, typename SB>
auto binary(const SA& a, const SB& b, DynamicOp dyn, const char* name) {
    using A = typename SA::shape_type;
    using B = typename SB::shape_type;
    if constexpr (!shapes::broadcastable<A, B>) {
        return static_error::raise<static_error::shapes_do_not_broadcast<Op, A, B>>();
    } else if constexpr (tracked_linear<Op, SA, SB>) {
        using Out = shapes::broadcast<A, B>;
        using R = typename tracked_sum<Out, SA, SB, std::is_same_v<Op, static_op::sub>>::type;
        return static_result<Op, R, typename SA::format, typename SB::format, Out>(
            FixedVariableArray(dyn(a.array(), b.array())), name);
    } else if constexpr (tracked_nonlinear<Op, SA, SB>) {
        using Out = shapes::broadcast<A, B>;
        using R = typename tracked_binary_impl<Op, Out, SA, SB>::type;
        return static_result<Op, R, typename SA::format, typename SB::format, Out>(
            FixedVariableArray(dyn(a.array(), b.array())), name);
    } else {
        using Out = shapes::broadcast<A, B>;
        constexpr auto r = binary_ranges<Out, SA, SB, Rule>();
        return static_result<Op, formats_of<r>, typename SA::format, typename SB::format, Out>(
            FixedVariableArray(dyn(a.array(), b.array())), name);
    }
}

template <auto Rule, typename SA, typename DynamicOp>
auto unary(const SA& a, DynamicOp dyn, const char* name) {
    constexpr auto r = unary_ranges<typename SA::format, Rule>();
    return sarray_of<formats_of<r>, typename SA::shape_type>(FixedVariableArray(dyn(a.array())), name);
}

// ±2^s * a: a tracked operand keeps its forms, scaled.
template <int Mant, int Shift, auto Rule, typename SA, typename DynamicOp>
auto scaling(const SA& a, DynamicOp dyn, const char* name) {
    using F = typename SA::format;
    if constexpr (!TrackedFormat<F>)
        return unary<Rule>(a, dyn, name);
    else
        return sarray_of<typename tracked_scale<F, Mant, Shift, Rule>::type, typename SA::shape_type>(
            FixedVariableArray(dyn(a.array())), name);
}

// A non-linear op (Op names it and its parameters): on a tracked operand its results are atoms.
template <typename Op, auto Rule, auto Same, typename SA, typename DynamicOp>
auto nonlinear(const SA& a, DynamicOp dyn, const char* name) {
    using F = typename SA::format;
    if constexpr (!TrackedFormat<F>)
        return unary<Rule>(a, dyn, name);
    else
        return sarray_of<typename tracked_atoms<Op, F, Rule, Same>::type, typename SA::shape_type>(
            FixedVariableArray(dyn(a.array())), name);
}
template <Round R, Overflow O>
struct quantize_mode {};
}  // namespace detail

template <typename A, typename B>
requires detail::StaticPair<A, B>
auto operator+(const A& a, const B& b) {
    return detail::binary<static_op::add, [](srange x, srange y) { return rules::add(x, y); }>(
        detail::as_static(a), detail::as_static(b), [](const auto& x, const auto& y) { return x + y; }, "+");
}

template <typename A, typename B>
requires detail::StaticPair<A, B>
auto operator-(const A& a, const B& b) {
    return detail::binary<static_op::sub, [](srange x, srange y) { return rules::add(x, y, true); }>(
        detail::as_static(a), detail::as_static(b), [](const auto& x, const auto& y) { return x - y; }, "-");
}

template <typename A, typename B>
requires detail::StaticPair<A, B>
auto operator*(const A& a, const B& b) {
    return detail::binary<static_op::mul, [](srange x, srange y) { return rules::mul(x, y); }>(
        detail::as_static(a), detail::as_static(b), [](const auto& x, const auto& y) { return x * y; }, "*");
}

template <typename A, typename B>
requires detail::StaticPair<A, B>
auto max(const A& a, const B& b) {
    return detail::binary<static_op::max, [](srange x, srange y) { return rules::extremum(x, y, true); }>(
        detail::as_static(a), detail::as_static(b), [](const auto& x, const auto& y) { return maximum(x, y); }, "max");
}

template <typename A, typename B>
requires detail::StaticPair<A, B>
auto min(const A& a, const B& b) {
    return detail::binary<static_op::min, [](srange x, srange y) { return rules::extremum(x, y, false); }>(
        detail::as_static(a), detail::as_static(b), [](const auto& x, const auto& y) { return minimum(x, y); }, "min");
}

template <StaticArray A>
auto operator-(const A& a) {
    return detail::scaling<-1, 0, [](srange x) { return rules::neg(x); }>(
        a, [](const auto& x) { return -x; }, "neg");
}

template <StaticArray A>
auto abs(const A& a) {
    return detail::nonlinear<lin::abs_op, [](srange x, std::size_t = 0) { return rules::abs(x); },
                             [](srange x, std::size_t) { return x.lo >= 0; }>(
        a, [](const auto& x) { return abs(x); }, "abs");
}

template <StaticArray A>
auto relu(const A& a) {
    return detail::nonlinear<lin::relu_op, [](srange x, std::size_t = 0) { return rules::relu(x); },
                             [](srange x, std::size_t) { return x.lo >= 0; }>(
        a, [](const auto& x) { return relu(x); }, "relu");
}

template <StaticArray A, detail::ShiftAmount S>
auto operator<<(const A& a, S) {
    constexpr int s = detail::shift_amount<S>();
    return detail::scaling<1, s, [](srange x) { return rules::shift(x, s); }>(
        a, [](const auto& x) { return x << s; }, "<<");
}

template <StaticArray A, detail::ShiftAmount S>
auto operator>>(const A& a, S) {
    constexpr int s = detail::shift_amount<S>();
    return detail::scaling<1, -s, [](srange x) { return rules::shift(x, -s); }>(
        a, [](const auto& x) { return x >> s; }, ">>");
}

/// Round to Q's step, then handle overflow into Q (a plain fx<K, I, F>). A quantize the
/// input already fits is free and keeps the tight input range.
template <Format Q, Round R = Round::TRN, Overflow O = Overflow::WRAP, StaticArray A>
auto quantize(const A& a) {
    if constexpr (!rules::valid_format(Q::kif.k, Q::kif.i, Q::kif.f))
        return static_error::raise<
            static_error::impossible_format<static_op::quantize, Q::kif.k, Q::kif.i, Q::kif.f>>();
    else
        return detail::nonlinear<lin::derived<static_op::quantize, Q, detail::quantize_mode<R, O>>,
                                 [](srange x, std::size_t = 0) { return rules::quantize(x, Q::kif, R, O); },
                                 [](srange x, std::size_t) {
                                     return quantize_is_identity(rules::to_exact(x), Q::kif, R, O);
                                 }>(
            a, [](const auto& x) { return quantize(x, Q::kif, R, O); }, "quantize");
}

/// Per-element quantizers: element j rounded and overflowed into Q.values[j] (Q a constexpr
/// fixvar::formats of x's shape, e.g. HGQ's activation quantizers written by `fixvar embed`).
template <const auto& Q, Round R = Round::TRN, Overflow O = Overflow::WRAP, StaticArray A>
requires(!Format<std::remove_cvref_t<decltype(Q)>>) auto quantize(const A& a) {
    using S = typename std::remove_cvref_t<decltype(Q)>::shape_type;
    if constexpr (!std::is_same_v<S, typename A::shape_type>) {
        return static_error::raise<
            static_error::formats_shape_differs<static_op::quantize, S, typename A::shape_type>>();
    } else if constexpr (Q.first_invalid() != Q.size) {
        constexpr kif bad = Q.values[Q.first_invalid()];
        return static_error::raise<static_error::impossible_format<static_op::quantize, bad.k, bad.i, bad.f>>();
    } else {
        using F = typename A::format;
        std::vector<kif> q(Q.values.begin(), Q.values.end());
        FormatArray formats(std::move(q), S::value());
        if constexpr (TrackedFormat<F>) {
            using T = typename detail::tracked_atoms<
                lin::derived<static_op::quantize, lin::formats_id<Q>, detail::quantize_mode<R, O>>, F,
                [](srange x, std::size_t j) { return rules::quantize(x, Q.values[j], R, O); },
                [](srange x, std::size_t j) {
                    return quantize_is_identity(rules::to_exact(x), Q.values[j], R, O);
                }>::type;
            return sarray_of<T, S>(quantize(a.array(), formats, R, O), "quantize");
        } else {
            constexpr auto r = [] {
                std::array<srange, Q.size> out{};
                for (std::size_t j = 0; j < Q.size; ++j) out[j] = rules::quantize(F::at(j), Q.values[j], R, O);
                return out;
            }();
            return sarray_of<formats_of<r>, S>(quantize(a.array(), formats, R, O), "quantize");
        }
    }
}

}  // namespace fixvar
