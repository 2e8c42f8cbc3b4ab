#pragma once
// ExactRange: every value a signal can take is m * 2^exp with lo <= m <= hi (integers, never
// floats). `exp` is the coarsest step known to hold. The primitive interval rules live here;
// the per-op rules (which combine them) are documented with the ops in ir/op.hpp.
//
// The rules are constexpr: the tracer runs them on every node, and the compile-time layer
// (static/rules.hpp) runs the very same functions while a model compiles. An Error on the
// runtime path (a result too wide for 127-bit arithmetic) is a compile error there.
#include <algorithm>
#include <string>

#include <fixvar/core/assert.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/wide.hpp>

namespace fixvar {

struct ExactRange {
    i128 lo = 0;
    i128 hi = 0;
    int exp = 0;

    /// The full range of a format: [-k*2^(i+f), 2^(i+f)-1] at exp -f.
    static constexpr ExactRange of(const kif& q);
    /// A single value m * 2^e (normalized so m is odd, or 0 at exp 0).
    static constexpr ExactRange constant(i128 m, int e);

    constexpr bool is_zero() const { return lo == 0 && hi == 0; }
    constexpr bool is_constant() const { return lo == hi; }
    constexpr bool is_signed() const { return lo < 0; }
    /// Smallest format holding every value: k = (lo < 0), f = -exp, minimal i.
    /// The constant 0 has width 0 (kif{0, 0, 0}).
    constexpr kif minimal_kif() const;
    constexpr int width() const { return minimal_kif().width(); }
    /// The same set of values expressed at a finer-or-equal exponent e <= exp (checked).
    constexpr ExactRange at_exp(int e) const;
    /// Error naming `op` if the range needs more than max_width bits.
    const ExactRange& check(const char* op) const;
    constexpr bool contains(const ExactRange& other) const;

    friend constexpr bool operator==(const ExactRange&, const ExactRange&) = default;
};

std::string to_string(const ExactRange& r);

namespace detail {
[[noreturn]] void fail_constant_exponent(int e);      // ExactRange::constant's Error
[[noreturn]] void fail_shift_exponent(int e, int s);  // range_shift's Error

/// ExactRange::of for a format known to be valid (no check: the interpreter's hot path).
constexpr ExactRange format_range(const kif& q) {
    i128 n = pow2(q.i + q.f);
    return ExactRange{q.k ? -n : 0, n - 1, -q.f};
}
}  // namespace detail

constexpr ExactRange ExactRange::of(const kif& q) {
    check_format(q, "kif");
    return detail::format_range(q);
}

constexpr ExactRange ExactRange::constant(i128 m, int e) {
    if (m == 0) return ExactRange{0, 0, 0};
    int tz = trailing_zeros(magnitude(m));
    if (e + tz > max_exponent || e + tz < -max_exponent) detail::fail_constant_exponent(e + tz);
    return ExactRange{m >> tz, m >> tz, e + tz};
}

constexpr kif ExactRange::minimal_kif() const {
    if (is_zero()) return kif{0, 0, 0};
    int n = std::max(hi > 0 ? bit_length(u128(hi)) : 0, lo < 0 ? bit_length(u128(-(lo + 1))) : 0);
    return kif{lo < 0 ? 1 : 0, n + exp, -exp};
}

constexpr ExactRange ExactRange::at_exp(int e) const {
    FIXVAR_ASSERT(e <= exp || is_zero());
    if (is_zero()) return ExactRange{0, 0, e};
    int d = exp - e;
    return ExactRange{checked_shl(lo, d, "align"), checked_shl(hi, d, "align"), e};
}

constexpr bool ExactRange::contains(const ExactRange& o) const {
    if (o.is_zero()) return lo <= 0 && 0 <= hi;
    if (o.exp < exp) {
        // o is on a finer grid: contained only if its values happen to lie on ours (constants).
        if (!o.is_constant()) return false;
        int d = exp - o.exp;
        if (d >= 127 || (o.lo & (pow2(d) - 1)) != 0) return false;
        i128 m = o.lo >> d;
        return lo <= m && m <= hi;
    }
    ExactRange a = o.at_exp(exp);
    return lo <= a.lo && a.hi <= hi;
}

/// A range holding one value becomes that normalized constant (what the builder's constant
/// folding makes of such a node); any other range is returned unchanged.
constexpr ExactRange normalized(const ExactRange& r) { return r.is_constant() ? ExactRange::constant(r.lo, r.exp) : r; }

// Primitive interval rules (results are checked against max_width by the callers). Op rules
// keep their own exponent even when the result is a single value: the builder turns such
// nodes into normalized constants, and raw graphs keep the rule's grid.

namespace detail {
/// Both ranges re-expressed at their common (finer) exponent. The constant 0 has no step of
/// its own and never makes the grid finer.
struct AlignedPair {
    ExactRange a, b;
};
constexpr AlignedPair aligned(const ExactRange& a, const ExactRange& b) {
    int e = a.is_zero() ? b.exp : b.is_zero() ? a.exp : std::min(a.exp, b.exp);
    return {a.at_exp(e), b.at_exp(e)};
}
}  // namespace detail

constexpr ExactRange range_add(const ExactRange& a, const ExactRange& b, bool subtract) {
    auto [x, y] = detail::aligned(a, b);
    if (subtract) return {checked_sub(x.lo, y.hi, "add"), checked_sub(x.hi, y.lo, "add"), x.exp};
    return {checked_add(x.lo, y.lo, "add"), checked_add(x.hi, y.hi, "add"), x.exp};
}

constexpr ExactRange range_neg(const ExactRange& a) { return {-a.hi, -a.lo, a.exp}; }

/// a * 2^s: exponent change only
constexpr ExactRange range_shift(const ExactRange& a, int s) {
    if (a.is_zero()) return a;
    int e = 0;
    if (__builtin_add_overflow(a.exp, s, &e)) detail::fail_shift_exponent(a.exp, s);
    return {a.lo, a.hi, e};
}

constexpr ExactRange range_mul(const ExactRange& a, const ExactRange& b) {
    i128 c[4] = {checked_mul(a.lo, b.lo, "mul"), checked_mul(a.lo, b.hi, "mul"), checked_mul(a.hi, b.lo, "mul"),
                 checked_mul(a.hi, b.hi, "mul")};
    return {*std::min_element(c, c + 4), *std::max_element(c, c + 4), a.exp + b.exp};
}

/// The smallest range holding both.
constexpr ExactRange range_hull(const ExactRange& a, const ExactRange& b) {
    auto [x, y] = detail::aligned(a, b);
    return {std::min(x.lo, y.lo), std::max(x.hi, y.hi), x.exp};
}

constexpr ExactRange range_max(const ExactRange& a, const ExactRange& b) {
    auto [x, y] = detail::aligned(a, b);
    return {std::max(x.lo, y.lo), std::max(x.hi, y.hi), x.exp};
}

constexpr ExactRange range_min(const ExactRange& a, const ExactRange& b) {
    auto [x, y] = detail::aligned(a, b);
    return {std::min(x.lo, y.lo), std::min(x.hi, y.hi), x.exp};
}

constexpr ExactRange range_abs(const ExactRange& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return range_neg(a);
    return {0, std::max(-a.lo, a.hi), a.exp};
}

constexpr ExactRange range_relu(const ExactRange& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return {0, 0, a.exp};
    return {0, a.hi, a.exp};
}

/// max(a, b) / min(a, b) when the ranges decide it: the operand that is always the answer
/// (the builder then returns that operand itself, on its own grid), or `undecided`.
enum class Extremum { first, second, undecided };
constexpr Extremum decided_extremum(const ExactRange& a, const ExactRange& b, bool is_max) {
    ExactRange d = range_add(a, b, true);  // a - b
    if (d.lo >= 0) return is_max ? Extremum::first : Extremum::second;
    if (d.hi <= 0) return is_max ? Extremum::second : Extremum::first;
    return Extremum::undecided;
}

/// The values of `a` that also lie in `b`, on a's grid (b's bounds rounded inward onto it;
/// lo > hi when none do). Narrows a sound range by a proven fact about the same signal.
constexpr ExactRange range_meet(const ExactRange& a, const ExactRange& b) {
    ExactRange r = b;
    if (b.is_zero()) {
        r.exp = a.exp;
    } else if (b.exp < a.exp) {  // values lie on a's grid: round b's bounds inward onto it
        int d = a.exp - b.exp;
        r = ExactRange{-floor_shift(-b.lo, d), floor_shift(b.hi, d), a.exp};
    } else {
        r = b.at_exp(a.exp);
    }
    return {std::max(a.lo, r.lo), std::min(a.hi, r.hi), a.exp};
}

}  // namespace fixvar
