#pragma once
// The exact range rules of the dynamic tracer (core/range.hpp, core/quantize.hpp and the
// builder's simplifications in ir/builder.cpp), as constexpr functions on srange so that the
// static layer computes result formats while the user's program compiles.
//
// These are the SAME rules for a uniform operand range; tests/static/agreement.cpp sweeps every
// op against the dynamic tracer. Besides the interval rules, the builder's shortcuts matter:
//   - a result with a single value is a normalized constant (odd mantissa, or 0 at exp 0);
//   - x + 0, relu/abs of a non-negative x, a quantize that fits, max/min decided by the
//     ranges all return an operand unchanged (its own grid, not the aligned one).
#include <algorithm>

#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/core/wide.hpp>

namespace fixvar::rules {

/// Every value is m * 2^exp with lo <= m <= hi (structural: usable as a template argument).
struct srange {
    i128 lo = 0;
    i128 hi = 0;
    int exp = 0;
    friend constexpr bool operator==(const srange&, const srange&) = default;
};

constexpr ExactRange to_exact(const srange& r) { return ExactRange{r.lo, r.hi, r.exp}; }

constexpr bool is_zero(const srange& r) { return r.lo == 0 && r.hi == 0; }
constexpr u128 magnitude(i128 v) { return v < 0 ? u128(-(v + 1)) + 1 : u128(v); }

/// The builder turns single-valued results into normalized constants.
constexpr srange normalized(srange r) {
    if (r.lo != r.hi) return r;
    if (r.lo == 0) return {0, 0, 0};
    int tz = trailing_zeros(magnitude(r.lo));
    return {r.lo >> tz, r.lo >> tz, r.exp + tz};
}

/// A format is valid when k is 0 or 1 and 1 <= k+i+f <= max_width (check_format's rule).
constexpr bool valid_format(int k, int i, int f) {
    return (k == 0 || k == 1) && i >= -max_exponent && i <= max_exponent &&
           f >= -max_exponent && f <= max_exponent && k + i + f >= 1 && k + i + f <= max_width;
}

/// ExactRange::of: the full range of a (valid) format.
constexpr srange of_format(int k, int i, int f) {
    if (!valid_format(k, i, f)) return {0, 0, 0};
    i128 n = pow2(i + f);
    return {k ? -n : 0, n - 1, -f};
}

/// ExactRange::minimal_kif.
constexpr kif minimal_kif(const srange& r) {
    if (is_zero(r)) return kif{0, 0, 0};
    int n = std::max(r.hi > 0 ? bit_length(u128(r.hi)) : 0,
                     r.lo < 0 ? bit_length(u128(-(r.lo + 1))) : 0);
    return kif{r.lo < 0 ? 1 : 0, n + r.exp, -r.exp};
}

constexpr srange at_exp(const srange& r, int e) {
    if (is_zero(r)) return {0, 0, e};
    return {r.lo * pow2(r.exp - e), r.hi * pow2(r.exp - e), e};
}

// Common (finer) grid of two ranges; the constant 0 never makes it finer.
constexpr int common_exp(const srange& a, const srange& b) {
    return is_zero(a) ? b.exp : is_zero(b) ? a.exp : std::min(a.exp, b.exp);
}

constexpr srange neg(const srange& a) { return normalized({-a.hi, -a.lo, a.exp}); }

/// x + y (or x - y): the builder returns the other term when one is the constant 0.
constexpr srange add(const srange& a, const srange& b, bool subtract = false) {
    if (is_zero(b)) return a;
    if (is_zero(a)) return subtract ? neg(b) : b;
    int e = common_exp(a, b);
    srange x = at_exp(a, e), y = at_exp(b, e);
    if (subtract) return normalized({x.lo - y.hi, x.hi - y.lo, e});
    return normalized({x.lo + y.lo, x.hi + y.hi, e});
}

/// x * 2^s: a wire (the constant 0 stays 0).
constexpr srange shift(const srange& a, int s) {
    if (is_zero(a)) return a;
    return {a.lo, a.hi, a.exp + s};
}

/// Corner products; a constant factor gives the same range (the builder tightens its
/// shift-and-add terms to exactly this).
constexpr srange mul(const srange& a, const srange& b) {
    i128 c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return normalized({*std::min_element(c, c + 4), *std::max_element(c, c + 4), a.exp + b.exp});
}

constexpr srange relu(const srange& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return {0, 0, 0};
    return {0, a.hi, a.exp};
}

constexpr srange abs(const srange& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return neg(a);
    return {0, std::max(-a.lo, a.hi), a.exp};
}

/// max / min: an operand the ranges prove larger (smaller) is the answer itself.
constexpr srange extremum(const srange& a, const srange& b, bool is_max) {
    int e = common_exp(a, b);
    srange x = at_exp(a, e), y = at_exp(b, e);
    i128 dlo = x.lo - y.hi, dhi = x.hi - y.lo;  // a - b
    if (dlo >= 0) return is_max ? a : b;
    if (dhi <= 0) return is_max ? b : a;
    if (is_max) return {std::max(x.lo, y.lo), std::max(x.hi, y.hi), e};
    return {std::min(x.lo, y.lo), std::min(x.hi, y.hi), e};
}

/// range_hull: the smallest range holding both (concatenation, per-column results).
constexpr srange hull(const srange& a, const srange& b) {
    int e = common_exp(a, b);
    srange x = at_exp(a, e), y = at_exp(b, e);
    return {std::min(x.lo, y.lo), std::max(x.hi, y.hi), e};
}

/// ExactRange::contains (for the trace-time check and the tests).
constexpr bool contains(const srange& outer, const srange& o) {
    if (is_zero(o)) return outer.lo <= 0 && 0 <= outer.hi;
    if (o.exp < outer.exp) {
        if (o.lo != o.hi) return false;
        int d = outer.exp - o.exp;
        if (d >= 127 || (o.lo & (pow2(d) - 1)) != 0) return false;
        i128 m = o.lo >> d;
        return outer.lo <= m && m <= outer.hi;
    }
    srange a = at_exp(o, outer.exp);
    return outer.lo <= a.lo && a.hi <= outer.hi;
}

// ---- quantize (core/quantize.cpp) -----------------------------------------------------------

inline constexpr int huge_bits = 124;

constexpr i128 round_mantissa(i128 m, int e, int f, Round round) {
    int t = -f;
    if (m == 0) return 0;
    i128 sign = (m > 0) - (m < 0);
    if (e >= t) {
        int d = e - t;
        if (d >= huge_bits || bit_length(magnitude(m)) + d > huge_bits) return sign * pow2(huge_bits);
        return m * pow2(d);
    }
    int s = t - e;
    if (s > 125) {
        m = sign;
        s = 125;
    }
    i128 q = m >> s;
    i128 r = m - q * pow2(s);
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

struct bounds {
    i128 lo, hi;
};

constexpr bounds kept_bounds(const kif& q, Overflow overflow) {
    srange full = of_format(q.k, q.i, q.f);
    if (overflow == Overflow::SAT_SYM && q.k) full.lo = -full.hi;
    return {full.lo, full.hi};
}

constexpr i128 quantize_mantissa(i128 m, int e, const kif& q, Round round, Overflow overflow) {
    srange full = of_format(q.k, q.i, q.f);
    i128 v = round_mantissa(m, e, q.f, round);
    bounds keep = kept_bounds(q, overflow);
    if (keep.lo <= v && v <= keep.hi) return v;
    switch (overflow) {
        case Overflow::WRAP: {
            int d = e + q.f;
            u128 low = e >= -q.f ? (d >= 128 ? u128(0) : u128(m) << d) : u128(v);
            u128 mask = (u128(1) << q.width()) - 1;
            return i128((low - u128(full.lo)) & mask) + full.lo;
        }
        case Overflow::SAT: return std::clamp(v, full.lo, full.hi);
        case Overflow::SAT_SYM: return std::clamp(v, q.k ? -full.hi : full.lo, full.hi);
        case Overflow::SAT_ZERO: return 0;
    }
    return 0;
}

constexpr bool quantize_is_identity(const srange& in, const kif& q, Overflow overflow) {
    if (is_zero(in)) return true;
    if (in.exp < -q.f) return false;
    bounds keep = kept_bounds(q, overflow);
    return contains(srange{keep.lo, keep.hi, -q.f}, in);
}

/// quantize: a quantize that fits is free and keeps the tight input range; otherwise the node
/// sits on the step 2^-f (and a single value becomes a constant).
constexpr srange quantize(const srange& in, const kif& q, Round round, Overflow overflow) {
    if (quantize_is_identity(in, q, overflow)) return in;
    srange full = of_format(q.k, q.i, q.f);
    i128 rl = round_mantissa(in.lo, in.exp, q.f, round);
    i128 rh = round_mantissa(in.hi, in.exp, q.f, round);
    auto result = [&](i128 a, i128 b) { return normalized(srange{a, b, -q.f}); };
    bounds keep = kept_bounds(q, overflow);
    if (keep.lo <= rl && rh <= keep.hi) return result(rl, rh);
    switch (overflow) {
        case Overflow::SAT: return result(std::clamp(rl, full.lo, full.hi), std::clamp(rh, full.lo, full.hi));
        case Overflow::SAT_SYM: {
            i128 l = q.k ? -full.hi : full.lo;
            return result(std::clamp(rl, l, full.hi), std::clamp(rh, l, full.hi));
        }
        case Overflow::SAT_ZERO: {
            i128 a = std::max(rl, full.lo), b = std::min(rh, full.hi);
            if (a > b) return result(0, 0);
            return result(std::min<i128>(a, 0), std::max<i128>(b, 0));
        }
        case Overflow::WRAP: {
            bool huge = rl <= -pow2(huge_bits) || rh >= pow2(huge_bits);
            if (huge || rh - rl >= pow2(q.width()) - 1) return result(full.lo, full.hi);
            i128 a = quantize_mantissa(in.lo, in.exp, q, round, overflow);
            i128 b = quantize_mantissa(in.hi, in.exp, q, round, overflow);
            return a <= b ? result(a, b) : result(full.lo, full.hi);
        }
    }
    return result(full.lo, full.hi);
}

}  // namespace fixvar::rules
