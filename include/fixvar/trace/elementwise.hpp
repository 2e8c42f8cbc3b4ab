#pragma once
// Elementwise operations on arrays as expression templates.
//
// `a * 3 + relu(b - c)` builds a small tree of expression nodes that only records operands and
// the broadcast shape; nothing is traced until the expression is materialized — assigned to a
// FixedVariableArray, or consumed by a non-elementwise op (einsum, sum, reshape, ...). Then every
// output element is traced once through the whole fused tree: no intermediate arrays exist.
//
// Operands: FixedVariableArray (an lvalue is referenced, an rvalue is moved into the tree, so
// `auto e = f(x) + y;` never dangles on a temporary), other expressions, a FixedVariable or a
// number (scalars broadcast). Shapes broadcast like numpy; a mismatch is an Error naming the
// operator and both shapes when the expression is built.
#include <functional>
#include <map>
#include <memory>
#include <tuple>
#include <type_traits>

#include <fixvar/trace/array.hpp>

namespace fixvar {

/// Where an expression is evaluated: the output's flat index and multi-index.
struct EvalIndex {
    std::int64_t flat;
    const std::int64_t* idx;
    std::size_t rank;
    std::int64_t size;
};

namespace detail {
// Offset of a broadcast operand (shape `s`, own strides `st`) at the output multi-index.
inline std::int64_t broadcast_offset(const Shape& s, const Shape& st, const EvalIndex& ix) {
    if (s.size() == ix.rank && std::int64_t(shape_size(s)) == ix.size) return ix.flat;
    std::int64_t off = 0;
    std::size_t base = ix.rank - s.size();
    for (std::size_t d = 0; d < s.size(); ++d)
        if (s[d] != 1) off += ix.idx[base + d] * st[d];
    return off;
}
}  // namespace detail

/// Leaf reading an array; Owned: holds it (moved-in temporary), else refers to it.
template <bool Owned>
class ArrayLeaf {
public:
    explicit ArrayLeaf(const FixedVariableArray& a) requires(!Owned) : ptr_(&a), strides_(shape_strides(a.shape())) {}
    explicit ArrayLeaf(FixedVariableArray&& a) requires Owned : own_(std::move(a)),
                                                                strides_(shape_strides(own_.shape())) {}

    const FixedVariableArray& array() const {
        if constexpr (Owned)
            return own_;
        else
            return *ptr_;
    }
    const Shape& shape() const { return array().shape(); }
    const FixedVariable& eval(const EvalIndex& ix) const {
        const FixedVariableArray& a = array();
        if (a.ndim() == ix.rank && a.size() == ix.size) return a.flat(ix.flat);
        return a.flat(detail::broadcast_offset(a.shape(), strides_, ix));
    }

private:
    const FixedVariableArray* ptr_ = nullptr;
    FixedVariableArray own_;
    Shape strides_;
};

/// Leaf broadcasting one variable (or constant) everywhere.
class ScalarLeaf {
public:
    explicit ScalarLeaf(FixedVariable v) : v_(std::move(v)) {}
    const Shape& shape() const {
        static const Shape scalar{};
        return scalar;
    }
    const FixedVariable& eval(const EvalIndex&) const { return v_; }

private:
    FixedVariable v_;
};

/// Leaf of per-element formats (for quantize with a FormatArray).
class FormatLeaf {
public:
    explicit FormatLeaf(FormatArray f) : f_(std::move(f)), strides_(shape_strides(f_.shape)) {}
    const Shape& shape() const { return f_.shape; }
    const kif& eval(const EvalIndex& ix) const { return f_[detail::broadcast_offset(f_.shape, strides_, ix)]; }

private:
    FormatArray f_;
    Shape strides_;
};

/// An elementwise node: F applied to its operands' elements.
template <typename F, typename... Args>
class ElementwiseExpr {
public:
    ElementwiseExpr(const char* op, F f, Args... args) : f_(std::move(f)), args_(std::move(args)...) {
        shape_ = std::apply(
            [&](const auto&... a) {
                Shape s{};
                ((s = broadcast_shapes(s, a.shape(), op)), ...);
                return s;
            },
            args_);
    }
    const Shape& shape() const { return shape_; }
    FixedVariable eval(const EvalIndex& ix) const {
        return std::apply([&](const auto&... a) { return f_(a.eval(ix)...); }, args_);
    }
    /// numpy's e[i]: only the elements of that sub-array are traced.
    FixedVariableArray operator[](std::int64_t i) const;

private:
    F f_;
    std::tuple<Args...> args_;
    Shape shape_;
};

namespace detail {
template <typename F, typename... Args>
struct is_array_expr<ElementwiseExpr<F, Args...>> : std::true_type {};
}  // namespace detail

template <typename T>
concept ArrayExpression = detail::is_array_expr<std::remove_cvref_t<T>>::value;
/// An array or a lazy array expression.
template <typename T>
concept ArrayLike = ArrayExpression<T> || std::same_as<std::remove_cvref_t<T>, FixedVariableArray>;
/// Anything an elementwise op accepts.
template <typename T>
concept ElementwiseOperand =
    ArrayLike<T> || std::same_as<std::remove_cvref_t<T>, FixedVariable> || Number<std::remove_cvref_t<T>>;

/// The expression-tree node for an operand (see the header comment for ownership).
template <typename T>
auto as_operand(T&& x) {
    using D = std::remove_cvref_t<T>;
    if constexpr (ArrayExpression<D>)
        return D(std::forward<T>(x));
    else if constexpr (std::same_as<D, FixedVariableArray>) {
        if constexpr (std::is_lvalue_reference_v<T>)
            return ArrayLeaf<false>(x);
        else
            return ArrayLeaf<true>(std::move(x));
    } else if constexpr (std::same_as<D, FixedVariable>)
        return ScalarLeaf(x);
    else
        return ScalarLeaf(FixedVariable(static_cast<double>(x)));
}

/// Evaluates `count` elements of an expression from flat index `first` on, shaped `shape`:
/// one traced pass over just those elements.
template <typename E>
FixedVariableArray materialize(const E& e, std::int64_t first, std::int64_t count, Shape shape) {
    const Shape& full = e.shape();
    std::int64_t n = shape_size(full);
    std::vector<FixedVariable> out;
    out.reserve(std::size_t(count));
    std::vector<std::int64_t> idx(full.size(), 0);
    if (count == 0) return FixedVariableArray(std::move(out), std::move(shape));
    for (std::int64_t rest = first, d = std::int64_t(full.size()); d-- > 0;) {
        idx[std::size_t(d)] = rest % full[std::size_t(d)];
        rest /= full[std::size_t(d)];
    }
    for (std::int64_t flat = first; flat < first + count; ++flat) {
        out.push_back(e.eval(EvalIndex{flat, idx.data(), full.size(), n}));
        for (std::size_t d = full.size(); d-- > 0;) {
            if (++idx[d] < full[d]) break;
            idx[d] = 0;
        }
    }
    return FixedVariableArray(std::move(out), std::move(shape));
}
/// Evaluates an expression into an array: one traced pass over the output elements.
template <typename E>
FixedVariableArray materialize(const E& e) {
    return materialize(e, 0, shape_size(e.shape()), e.shape());
}

/// An array as-is, or an expression materialized (for ops that need concrete elements).
inline const FixedVariableArray& eval(const FixedVariableArray& a) { return a; }
template <ArrayExpression E>
FixedVariableArray eval(const E& e) {
    return materialize(e);
}

template <typename E>
requires detail::is_array_expr<std::remove_cvref_t<E>>::value FixedVariableArray::FixedVariableArray(const E& expr)
    : FixedVariableArray(materialize(expr)) {}

template <typename F, typename... Args>
FixedVariableArray ElementwiseExpr<F, Args...>::operator[](std::int64_t i) const {
    SubArray sub = sub_array(shape_, i, "operator[]");
    std::int64_t count = shape_size(sub.shape);
    return materialize(*this, sub.first, count, std::move(sub.shape));
}

template <typename F, typename... T>
auto make_elementwise(const char* op, F f, T&&... operands) {
    return ElementwiseExpr<F, decltype(as_operand(std::forward<T>(operands)))...>(
        op, std::move(f), as_operand(std::forward<T>(operands))...);
}

// ---- the scalar ops, as functors --------------------------------------------------------------
namespace elementwise_ops {
#define FIXVAR_BINARY_FUNCTOR(Name, expr)                                                               \
    struct Name {                                                                                       \
        FixedVariable operator()(const FixedVariable& a, const FixedVariable& b) const { return expr; } \
    };
FIXVAR_BINARY_FUNCTOR(Add, a + b)
FIXVAR_BINARY_FUNCTOR(Sub, a - b)
FIXVAR_BINARY_FUNCTOR(Mul, a* b)
FIXVAR_BINARY_FUNCTOR(Lt, a < b)
FIXVAR_BINARY_FUNCTOR(Le, a <= b)
FIXVAR_BINARY_FUNCTOR(Gt, a > b)
FIXVAR_BINARY_FUNCTOR(Ge, a >= b)
FIXVAR_BINARY_FUNCTOR(Eq, a == b)
FIXVAR_BINARY_FUNCTOR(Ne, a != b)
FIXVAR_BINARY_FUNCTOR(Max, fixvar::max(a, b))
FIXVAR_BINARY_FUNCTOR(Min, fixvar::min(a, b))
#undef FIXVAR_BINARY_FUNCTOR

struct Neg {
    FixedVariable operator()(const FixedVariable& a) const { return -a; }
};
struct Relu {
    FixedVariable operator()(const FixedVariable& a) const { return fixvar::relu(a); }
};
struct Abs {
    FixedVariable operator()(const FixedVariable& a) const { return fixvar::abs(a); }
};
struct Msb {
    FixedVariable operator()(const FixedVariable& a) const { return fixvar::msb(a); }
};
struct SignBit {
    FixedVariable operator()(const FixedVariable& a) const { return fixvar::sign_bit(a); }
};
struct Shift {
    int s;
    FixedVariable operator()(const FixedVariable& a) const { return a << s; }
};
struct Where {
    FixedVariable operator()(const FixedVariable& c, const FixedVariable& a, const FixedVariable& b) const {
        return fixvar::where(c, a, b);
    }
};
struct Quantize {
    kif q;
    Round round;
    Overflow overflow;
    FixedVariable operator()(const FixedVariable& a) const { return fixvar::quantize(a, q, round, overflow); }
};
struct QuantizeEach {
    Round round;
    Overflow overflow;
    FixedVariable operator()(const FixedVariable& a, const kif& q) const {
        return fixvar::quantize(a, q, round, overflow);
    }
};
/// Tables built so far for one apply(), by input range (shared by copies of the functor).
struct ApplyCache {
    std::function<double(double)> fn;
    kif out;
    Round round;
    Overflow overflow;
    std::map<std::tuple<i128, i128, int>, ir::Table> tables;
};
struct Apply {
    std::shared_ptr<ApplyCache> cache;
    FixedVariable operator()(const FixedVariable& a) const;
};
}  // namespace elementwise_ops

/// Traces x through the table cached for its range (elementwise.cpp).
FixedVariable apply_cached(elementwise_ops::ApplyCache& cache, const FixedVariable& x);
inline FixedVariable elementwise_ops::Apply::operator()(const FixedVariable& a) const {
    return apply_cached(*cache, a);
}

// ---- operators and functions ------------------------------------------------------------------
#define FIXVAR_ARRAY_BINARY(op, Functor)                                                                  \
    template <ElementwiseOperand A, ElementwiseOperand B>                                                 \
    requires(ArrayLike<A> || ArrayLike<B>) auto operator op(A&& a, B&& b) {                               \
        return make_elementwise(#op, elementwise_ops::Functor{}, std::forward<A>(a), std::forward<B>(b)); \
    }
FIXVAR_ARRAY_BINARY(+, Add)
FIXVAR_ARRAY_BINARY(-, Sub)
FIXVAR_ARRAY_BINARY(*, Mul)
FIXVAR_ARRAY_BINARY(<, Lt)
FIXVAR_ARRAY_BINARY(<=, Le)
FIXVAR_ARRAY_BINARY(>, Gt)
FIXVAR_ARRAY_BINARY(>=, Ge)
FIXVAR_ARRAY_BINARY(==, Eq)
FIXVAR_ARRAY_BINARY(!=, Ne)
#undef FIXVAR_ARRAY_BINARY

/// Elementwise max / min (numpy's maximum / minimum).
template <ElementwiseOperand A, ElementwiseOperand B>
requires(ArrayLike<A> || ArrayLike<B>) auto maximum(A&& a, B&& b) {
    return make_elementwise("maximum", elementwise_ops::Max{}, std::forward<A>(a), std::forward<B>(b));
}
template <ElementwiseOperand A, ElementwiseOperand B>
requires(ArrayLike<A> || ArrayLike<B>) auto minimum(A&& a, B&& b) {
    return make_elementwise("minimum", elementwise_ops::Min{}, std::forward<A>(a), std::forward<B>(b));
}
/// c ? a : b elementwise (c: 1-bit values such as comparisons).
template <ElementwiseOperand C, ElementwiseOperand A, ElementwiseOperand B>
requires(ArrayLike<C> || ArrayLike<A> || ArrayLike<B>) auto where(C&& c, A&& a, B&& b) {
    return make_elementwise("where", elementwise_ops::Where{}, std::forward<C>(c), std::forward<A>(a),
                            std::forward<B>(b));
}

template <ArrayLike A>
auto operator-(A&& a) {
    return make_elementwise("neg", elementwise_ops::Neg{}, std::forward<A>(a));
}
template <ArrayLike A>
auto relu(A&& a) {
    return make_elementwise("relu", elementwise_ops::Relu{}, std::forward<A>(a));
}
template <ArrayLike A>
auto abs(A&& a) {
    return make_elementwise("abs", elementwise_ops::Abs{}, std::forward<A>(a));
}
template <ArrayLike A>
auto msb(A&& a) {
    return make_elementwise("msb", elementwise_ops::Msb{}, std::forward<A>(a));
}
template <ArrayLike A>
auto sign_bit(A&& a) {
    return make_elementwise("sign_bit", elementwise_ops::SignBit{}, std::forward<A>(a));
}
template <ArrayLike A>
auto operator<<(A&& a, int s) {
    return make_elementwise("<<", elementwise_ops::Shift{s}, std::forward<A>(a));
}
template <ArrayLike A>
auto operator>>(A&& a, int s) {
    return make_elementwise(">>", elementwise_ops::Shift{-s}, std::forward<A>(a));
}
/// One format for every element.
template <ArrayLike A>
auto quantize(A&& a, const kif& q, Round round = Round::TRN, Overflow overflow = Overflow::WRAP) {
    return make_elementwise("quantize", elementwise_ops::Quantize{q, round, overflow}, std::forward<A>(a));
}
/// The overflow mode alone, with the default rounding (TRN).
template <ArrayLike A>
auto quantize(A&& a, const kif& q, Overflow overflow) {
    return quantize(std::forward<A>(a), q, Round::TRN, overflow);
}
/// Per-element formats (broadcast against the array: HGQ's heterogeneous quantization).
template <ArrayLike A>
auto quantize(A&& a, const FormatArray& q, Round round = Round::TRN, Overflow overflow = Overflow::WRAP) {
    return ElementwiseExpr<elementwise_ops::QuantizeEach, decltype(as_operand(std::forward<A>(a))), FormatLeaf>(
        "quantize", elementwise_ops::QuantizeEach{round, overflow}, as_operand(std::forward<A>(a)), FormatLeaf(q));
}
template <ArrayLike A>
auto quantize(A&& a, const FormatArray& q, Overflow overflow) {
    return quantize(std::forward<A>(a), q, Round::TRN, overflow);
}
/// Table lookup of fn on every element (one table per distinct input range).
template <ArrayLike A>
auto apply(A&& a, std::function<double(double)> fn, const kif& out, Round round = Round::TRN,
           Overflow overflow = Overflow::WRAP) {
    auto cache = std::make_shared<elementwise_ops::ApplyCache>(
        elementwise_ops::ApplyCache{std::move(fn), out, round, overflow, {}});
    return make_elementwise("apply", elementwise_ops::Apply{std::move(cache)}, std::forward<A>(a));
}

}  // namespace fixvar
