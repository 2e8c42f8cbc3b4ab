#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>

#include <algorithm>

namespace fixvar {
namespace {

constexpr int huge_bits = 124;  // beyond any format's range (max_width = 120)

i128 sign_of(i128 v) { return (v > 0) - (v < 0); }

struct Bounds {
    i128 lo, hi;
};

Bounds bounds_of(const kif& q) {
    int n = q.i + q.f;
    return {q.k ? -pow2(n) : 0, pow2(n) - 1};
}

// The values quantize leaves alone: the format's range, made symmetric for signed SAT_SYM
// (whose -2^i becomes -max).
Bounds kept_bounds(const kif& q, Overflow overflow) {
    Bounds b = bounds_of(q);
    if (overflow == Overflow::SAT_SYM && q.k) b.lo = -b.hi;
    return b;
}

// Low w bits of v - lo, plus lo: two's complement wrap into [lo, lo + 2^w).
i128 wrap_into(u128 v_mod, i128 lo, int w) {
    u128 mask = (u128(1) << w) - 1;
    return i128((v_mod - u128(lo)) & mask) + lo;
}

// True value of m*2^d modulo 2^128 (exact low bits; d may exceed the i128 range).
u128 shifted_low_bits(i128 m, int d) { return d >= 128 ? 0 : u128(m) << d; }

}  // namespace

i128 round_mantissa(i128 m, int e, int f, Round round) {
    // Far beyond any format (|f| <= a few hundred bits): keeps e + f and -f free of overflow.
    constexpr int kFar = 1 << 28;
    if (e < -kFar || e > kFar || f < -kFar || f > kFar)
        fail("quantize", "exponent {} or fractional bits {} outside +-2^28", e, f);
    int t = -f;
    if (m == 0) return 0;
    if (e >= t) {
        int d = e - t;
        u128 mag = m < 0 ? u128(-(m + 1)) + 1 : u128(m);
        if (d >= huge_bits || bit_length(mag) + d > huge_bits) return sign_of(m) * pow2(huge_bits);
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

i128 quantize_mantissa(i128 m, int e, const kif& q, Round round, Overflow overflow) {
    check_format(q, "quantize");
    auto [lo, hi] = bounds_of(q);
    i128 v = round_mantissa(m, e, q.f, round);
    Bounds keep = kept_bounds(q, overflow);
    if (keep.lo <= v && v <= keep.hi) return v;
    switch (overflow) {
        case Overflow::WRAP: {
            u128 low = e >= -q.f ? shifted_low_bits(m, e + q.f) : u128(v);
            return wrap_into(low, lo, q.width());
        }
        case Overflow::SAT: return std::clamp(v, lo, hi);
        case Overflow::SAT_SYM: return std::clamp(v, q.k ? -hi : lo, hi);
        case Overflow::SAT_ZERO: return 0;
    }
    return 0;
}

bool quantize_is_identity(const ExactRange& in, const kif& q, Round, Overflow overflow) {
    if (in.lo == 0 && in.hi == 0) return true;
    if (in.exp < -q.f) return false;
    auto [lo, hi] = kept_bounds(q, overflow);
    return ExactRange{lo, hi, -q.f}.contains(in);
}

Dyadic round_value(double v, int f, Round round, std::string_view what) {
    Dyadic d = Dyadic::from_double(v, what);
    if (f < -max_exponent || f > max_exponent)
        fail(what, "{} fractional bits: a step 2^-f needs |f| <= {}", f, max_exponent);
    i128 m = round_mantissa(d.mant, d.exp, f, round);
    if (bit_length(m < 0 ? u128(-(m + 1)) + 1 : u128(m)) > max_width)
        fail(what, "{} at step 2^{} needs more than {} bits; use fewer fractional bits", v, -f,
             max_width);
    return Dyadic::make(m, -f);
}

Dyadic quantize_value(double v, const kif& q, Round round, std::string_view what) {
    check_format(q, std::string(what).c_str());
    Dyadic d = round_value(v, q.f, round, what);
    ExactRange r = ExactRange::of(q);
    i128 m = d.is_zero() ? 0 : checked_shl(d.mant, d.exp + q.f, "quantize_value");
    if (m < r.lo || m > r.hi)
        fail(what, "{} rounds to {}, outside {} (range [{}, {}]); choose a format with more "
                   "integer bits",
             v, d.to_string(), to_string(q), exact_decimal(r.lo, r.exp), exact_decimal(r.hi, r.exp));
    return d;
}

ExactRange quantize_range(const ExactRange& in, const kif& q, Round round, Overflow overflow) {
    check_format(q, "quantize");
    if (quantize_is_identity(in, q, round, overflow)) return in;
    auto [lo, hi] = bounds_of(q);
    i128 rl = round_mantissa(in.lo, in.exp, q.f, round);
    i128 rh = round_mantissa(in.hi, in.exp, q.f, round);
    auto result = [&](i128 a, i128 b) { return ExactRange{a, b, -q.f}; };
    Bounds keep = kept_bounds(q, overflow);
    if (keep.lo <= rl && rh <= keep.hi) return result(rl, rh);
    switch (overflow) {
        case Overflow::SAT: return result(std::clamp(rl, lo, hi), std::clamp(rh, lo, hi));
        case Overflow::SAT_SYM: {
            i128 l = q.k ? -hi : lo;
            return result(std::clamp(rl, l, hi), std::clamp(rh, l, hi));
        }
        case Overflow::SAT_ZERO: {
            i128 a = std::max(rl, lo), b = std::min(rh, hi);
            if (a > b) return result(0, 0);
            return result(std::min<i128>(a, 0), std::max<i128>(b, 0));
        }
        case Overflow::WRAP: {
            bool huge = rl <= -pow2(huge_bits) || rh >= pow2(huge_bits);
            int w = q.width();
            if (huge || rh - rl >= pow2(w) - 1) return result(lo, hi);
            i128 a = quantize_mantissa(in.lo, in.exp, q, round, overflow);
            i128 b = quantize_mantissa(in.hi, in.exp, q, round, overflow);
            if (a <= b) {
                // Only an interval of values that does not wrap around maps to [a, b] — but
                // the input grid may be coarser than the target step (e > -f): then only
                // every 2^(e+f)-th mantissa occurs, still within [a, b].
                return result(a, b);
            }
            return result(lo, hi);
        }
    }
    return result(lo, hi);
}

}  // namespace fixvar
