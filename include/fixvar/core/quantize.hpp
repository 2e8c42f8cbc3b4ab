#pragma once
// Quantize: round m * 2^e to the step 2^-f of a kif, then handle overflow into its range.
// Rule: rounding is monotone, so the output range is the rounded input range, then
//   - fits the target:  unchanged (no saturation logic; the tight range is kept);
//   - SAT / SAT_SYM:    bounds clamped;
//   - SAT_ZERO:         the in-range part, plus 0;
//   - WRAP:             the wrapped interval if it does not wrap around, else the full format.
// constexpr like the range rules: the compile-time layer (static/rules.hpp) runs these.
#include <algorithm>
#include <string_view>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>

namespace fixvar {

/// Round only: m * 2^e rounded to step 2^-f, saturated to +-2^124 (beyond any format) so that
/// callers can apply overflow handling safely.
constexpr i128 round_mantissa(i128 m, int e, int f, Round round);

/// Mantissa (at exponent -q.f) of quantize(m * 2^e) — the bit-exact definition.
constexpr i128 quantize_mantissa(i128 m, int e, const kif& q, Round round, Overflow overflow);

/// A value quantized to a grid, for constants and data: v rounded to step 2^-f. Error naming
/// `what` if v is not finite or the result needs more than max_width bits.
Dyadic round_value(double v, int f, Round round, std::string_view what);
/// v rounded to q's step; Error naming `what` if the result lies outside q's range.
Dyadic quantize_value(double v, const kif& q, Round round, std::string_view what);

/// Output range of quantize (exact; see the rule above).
constexpr ExactRange quantize_range(const ExactRange& in, const kif& q, Round round, Overflow overflow);

/// True when quantize(x, q, round, overflow) is the identity on every value of `in`.
constexpr bool quantize_is_identity(const ExactRange& in, const kif& q, Round round, Overflow overflow);

namespace detail {

inline constexpr int huge_bits = 124;  // beyond any format's range (max_width = 120)
// Far beyond any format (|f| <= a few hundred bits): keeps e + f and -f free of overflow.
inline constexpr int far_exponent = 1 << 28;
[[noreturn]] void fail_far_exponent(int e, int f);  // round_mantissa's Error

constexpr i128 sign_of(i128 v) { return (v > 0) - (v < 0); }

// The values quantize leaves alone: the format's range, made symmetric for signed SAT_SYM
// (whose -2^i becomes -max).
constexpr ExactRange kept_range(const kif& q, Overflow overflow) {
    ExactRange r = format_range(q);
    if (overflow == Overflow::SAT_SYM && q.k) r.lo = -r.hi;
    return r;
}

// Low w bits of v - lo, plus lo: two's complement wrap into [lo, lo + 2^w).
constexpr i128 wrap_into(u128 v_mod, i128 lo, int w) {
    u128 mask = (u128(1) << w) - 1;
    return i128((v_mod - u128(lo)) & mask) + lo;
}

// True value of m*2^d modulo 2^128 (exact low bits; d may exceed the i128 range).
constexpr u128 shifted_low_bits(i128 m, int d) { return d >= 128 ? 0 : u128(m) << d; }

}  // namespace detail

constexpr i128 round_mantissa(i128 m, int e, int f, Round round) {
    using detail::huge_bits, detail::sign_of, detail::far_exponent;
    if (e < -far_exponent || e > far_exponent || f < -far_exponent || f > far_exponent) detail::fail_far_exponent(e, f);
    int t = -f;
    if (m == 0) return 0;
    if (e >= t) {
        int d = e - t;
        if (d >= huge_bits || bit_length(magnitude(m)) + d > huge_bits) return sign_of(m) * pow2(huge_bits);
        return m * pow2(d);
    }
    int s = t - e;
    if (s > 125) {  // |m| < 2^120 <= half: only the sign of m matters
        m = sign_of(m);
        s = 125;
    }
    i128 q = m >> s;
    i128 r = m - q * pow2(s);  // 0 <= r < 2^s
    i128 half = pow2(s - 1);
    bool up = false;
    switch (round) {
        case Round::TRN: up = false; break;
        case Round::TRN_ZERO: up = m < 0 && r != 0; break;
        case Round::RND: up = r >= half; break;
        case Round::RND_ZERO: up = r > half || (r == half && m < 0); break;
        case Round::RND_MIN_INF: up = r > half; break;
        case Round::RND_INF: up = r > half || (r == half && m >= 0); break;
        case Round::RND_CONV: up = r > half || (r == half && (q & 1) != 0); break;
    }
    return up ? q + 1 : q;
}

constexpr i128 quantize_mantissa(i128 m, int e, const kif& q, Round round, Overflow overflow) {
    check_format(q, "quantize");
    ExactRange full = detail::format_range(q);
    i128 v = round_mantissa(m, e, q.f, round);
    ExactRange keep = detail::kept_range(q, overflow);
    if (keep.lo <= v && v <= keep.hi) return v;
    switch (overflow) {
        case Overflow::WRAP: {
            u128 low = e >= -q.f ? detail::shifted_low_bits(m, e + q.f) : u128(v);
            return detail::wrap_into(low, full.lo, q.width());
        }
        case Overflow::SAT: return std::clamp(v, full.lo, full.hi);
        case Overflow::SAT_SYM: return std::clamp(v, keep.lo, full.hi);
        case Overflow::SAT_ZERO: return 0;
    }
    return 0;
}

constexpr bool quantize_is_identity(const ExactRange& in, const kif& q, Round, Overflow overflow) {
    if (in.is_zero()) return true;
    if (in.exp < -q.f) return false;
    return detail::kept_range(q, overflow).contains(in);
}

constexpr ExactRange quantize_range(const ExactRange& in, const kif& q, Round round, Overflow overflow) {
    check_format(q, "quantize");
    if (quantize_is_identity(in, q, round, overflow)) return in;
    ExactRange full = ExactRange::of(q);
    i128 rl = round_mantissa(in.lo, in.exp, q.f, round);
    i128 rh = round_mantissa(in.hi, in.exp, q.f, round);
    auto result = [&](i128 a, i128 b) { return ExactRange{a, b, -q.f}; };
    ExactRange keep = detail::kept_range(q, overflow);
    if (keep.lo <= rl && rh <= keep.hi) return result(rl, rh);
    switch (overflow) {
        case Overflow::SAT:
        case Overflow::SAT_SYM:  // keep is full, with -max for -2^i when signed SAT_SYM
            return result(std::clamp(rl, keep.lo, keep.hi), std::clamp(rh, keep.lo, keep.hi));
        case Overflow::SAT_ZERO: {
            i128 a = std::max(rl, full.lo), b = std::min(rh, full.hi);
            if (a > b) return result(0, 0);
            return result(std::min<i128>(a, 0), std::max<i128>(b, 0));
        }
        case Overflow::WRAP: {
            bool huge = rl <= -pow2(detail::huge_bits) || rh >= pow2(detail::huge_bits);
            if (huge || rh - rl >= pow2(q.width()) - 1) return result(full.lo, full.hi);
            i128 a = quantize_mantissa(in.lo, in.exp, q, round, overflow);
            i128 b = quantize_mantissa(in.hi, in.exp, q, round, overflow);
            // Only an interval of values that does not wrap around maps to [a, b] — but the
            // input grid may be coarser than the target step (e > -f): then only every
            // 2^(e+f)-th mantissa occurs, still within [a, b].
            if (a <= b) return result(a, b);
            return result(full.lo, full.hi);
        }
    }
    return result(full.lo, full.hi);
}

}  // namespace fixvar
