#pragma once
// Independent exact reference for the test suites: scaled-integer arithmetic written from the
// definitions in DESIGN §1 and issue 3, deliberately NOT using fixvar's quantize/range helpers.
// A value is m * 2^e with an __int128 mantissa; every operation is exact (the sweeps keep all
// magnitudes far below 2^100, and `ref_check` guards against silent overflow).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ref {

using i128 = __int128;

inline void ref_check(bool ok, const char* what) {
    if (!ok) throw std::logic_error(std::string("reference arithmetic overflow: ") + what);
}

inline i128 p2(int n) {
    ref_check(n >= 0 && n < 120, "power of two");
    i128 v = 1;
    for (int j = 0; j < n; ++j) v *= 2;
    return v;
}

/// Mathematical floor(a / b) and the remainder a - b*floor(a/b) in [0, b), for b > 0.
inline i128 floor_div(i128 a, i128 b) {
    i128 q = a / b;
    if (a % b != 0 && a < 0) q -= 1;
    return q;
}
inline i128 mod_pos(i128 a, i128 b) { return a - b * floor_div(a, b); }

/// An exact dyadic value m * 2^e.
struct Val {
    i128 m = 0;
    int e = 0;

    /// The same value with an odd mantissa (or 0 at e = 0): equal values compare equal.
    Val norm() const {
        if (m == 0) return {0, 0};
        Val v = *this;
        while (v.m % 2 == 0) {
            v.m /= 2;
            ++v.e;
        }
        return v;
    }
    /// Mantissa at exponent `t` (must be exact).
    i128 at(int t) const {
        if (m == 0) return 0;
        if (e >= t) {
            ref_check(e - t < 100, "rescale");
            return m * p2(e - t);
        }
        i128 d = p2(t - e);
        ref_check(m % d == 0, "value not on the requested grid");
        return m / d;
    }
    bool on_grid(int t) const { return m == 0 || e >= t || mod_pos(m, p2(t - e)) == 0; }
    double to_double() const {
        double v = static_cast<double>(m);
        for (int j = 0; j < e; ++j) v *= 2;
        for (int j = 0; j > e; --j) v /= 2;
        return v;
    }
    std::string str() const;
};

inline int common_exp(const Val& a, const Val& b) { return a.e < b.e ? a.e : b.e; }

inline Val operator+(const Val& a, const Val& b) {
    int t = common_exp(a, b);
    return Val{a.at(t) + b.at(t), t};
}
inline Val operator-(const Val& a) { return Val{-a.m, a.e}; }
inline Val operator-(const Val& a, const Val& b) { return a + (-b); }
inline Val operator*(const Val& a, const Val& b) { return Val{a.m * b.m, a.e + b.e}; }
/// Three-way comparison of exact values.
inline int cmp(const Val& a, const Val& b) {
    int t = common_exp(a, b);
    i128 x = a.at(t), y = b.at(t);
    return x < y ? -1 : x > y ? 1 : 0;
}
inline bool operator==(const Val& a, const Val& b) { return cmp(a, b) == 0; }
inline bool operator<(const Val& a, const Val& b) { return cmp(a, b) < 0; }
inline Val vmax(const Val& a, const Val& b) { return cmp(a, b) >= 0 ? a : b; }
inline Val vmin(const Val& a, const Val& b) { return cmp(a, b) <= 0 ? a : b; }
inline Val vabs(const Val& a) { return a.m < 0 ? -a : a; }
inline Val relu(const Val& a) { return a.m < 0 ? Val{0, 0} : a; }
/// a * 2^s
inline Val shifted(const Val& a, int s) { return Val{a.m, a.e + s}; }

inline std::string i128_str(i128 v) {
    if (v == 0) return "0";
    bool neg = v < 0;
    std::string s;
    while (v != 0) {
        int d = int(v % 10);
        s.insert(s.begin(), char('0' + (d < 0 ? -d : d)));
        v /= 10;
    }
    return neg ? "-" + s : s;
}
inline std::string Val::str() const { return i128_str(m) + "*2^" + std::to_string(e); }

/// A small fixed-point format (mirrors fixvar::kif but defined here from DESIGN §1).
struct Fmt {
    int k, i, f;
    int width() const { return k + i + f; }
    /// Mantissa bounds at step 2^-f: [-k*2^(i+f), 2^(i+f) - 1].
    i128 lo() const { return k ? -p2(i + f) : 0; }
    i128 hi() const { return p2(i + f) - 1; }
    /// Every representable value, ascending.
    std::vector<Val> values() const {
        std::vector<Val> out;
        for (i128 m = lo(); m <= hi(); ++m) out.push_back(Val{m, -f});
        return out;
    }
};

// Rounding and overflow modes, numbered as fixvar::Round / fixvar::Overflow.
enum class Rnd { TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV };
enum class Ovf { WRAP, SAT, SAT_SYM, SAT_ZERO };

/// Integer n with n * 2^-f the rounding of v to the grid 2^-f, from the mode's definition:
/// the two grid neighbours below/above v, the distances to them, and the tie preference.
inline i128 round_to(const Val& v, int f, Rnd r) {
    if (v.on_grid(-f)) return v.at(-f);
    // v = m*2^e with e < -f: v / 2^-f = m / 2^(-f-e)
    i128 d = p2(-f - v.e);
    i128 below = floor_div(v.m, d), above = below + 1;
    i128 dist_below = v.m - below * d, dist_above = above * d - v.m;  // both > 0
    bool negative = v.m < 0;
    switch (r) {
        case Rnd::TRN: return below;
        case Rnd::TRN_ZERO: return negative ? above : below;
        default: break;
    }
    if (dist_below < dist_above) return below;
    if (dist_above < dist_below) return above;
    switch (r) {                                                            // exactly half way
        case Rnd::RND: return above;                                        // toward +inf
        case Rnd::RND_ZERO: return negative ? above : below;                // toward 0
        case Rnd::RND_MIN_INF: return below;                                // toward -inf
        case Rnd::RND_INF: return negative ? below : above;                 // away from 0
        case Rnd::RND_CONV: return mod_pos(below, 2) == 0 ? below : above;  // to even
        default: break;
    }
    throw std::logic_error("unreachable rounding mode");
}

/// quantize(v, q, r, o): round to 2^-f, then overflow handling into q's range.
inline Val quantize(const Val& v, const Fmt& q, Rnd r, Ovf o) {
    i128 n = round_to(v, q.f, r);
    i128 lo = q.lo(), hi = q.hi();
    switch (o) {
        case Ovf::WRAP: {
            // two's complement: keep the low k+i+f bits (unsigned: modulo 2^(i+f) steps)
            i128 span = p2(q.width());
            n = mod_pos(n - lo, span) + lo;
            break;
        }
        case Ovf::SAT: n = n < lo ? lo : n > hi ? hi : n; break;
        case Ovf::SAT_SYM: {
            i128 l = q.k ? -hi : lo;  // symmetric: -2^i itself becomes -max
            n = n < l ? l : n > hi ? hi : n;
            break;
        }
        case Ovf::SAT_ZERO:
            if (n < lo || n > hi) n = 0;
            break;
    }
    return Val{n, -q.f};
}

/// Top bit of the minimal format of the exact range [lo, hi]*2^exp, evaluated on v:
/// minimal format = k (lo < 0), f = -exp, smallest i; the top bit of the (k+i+f)-bit two's
/// complement mantissa (for signed ranges that is the sign).
inline int msb_of_range(const Val& v, i128 lo, i128 hi, int exp) {
    int n = 0;  // magnitude bits needed
    while (p2(n) - 1 < hi || -p2(n) > lo) ++n;
    bool sign = lo < 0;
    i128 m = v.at(exp);
    if (sign) return m < 0 ? 1 : 0;
    if (n == 0) return 0;
    return mod_pos(floor_div(m, p2(n - 1)), 2) == 1 ? 1 : 0;
}

}  // namespace ref

#include <cmath>

namespace ref {

/// Exact value of a finite double (53-bit mantissa scaled by its binary exponent).
inline Val from_double(double d) {
    if (d == 0) return {0, 0};
    int e = 0;
    double fr = std::frexp(d, &e);  // d = fr * 2^e
    double scaled = std::ldexp(fr, 53);
    return Val{i128(static_cast<long long>(scaled)), e - 53}.norm();
}

}  // namespace ref
