#include <fixvar/core/error.hpp>
#include <fixvar/core/range.hpp>

#include <algorithm>

namespace fixvar {
namespace {

u128 magnitude(i128 v) { return v < 0 ? u128(-(v + 1)) + 1 : u128(v); }

// Op rules keep their own exponent even when the result is a single value: the builder turns
// such nodes into normalized constants, and raw graphs keep the rule's grid.
ExactRange make(i128 lo, i128 hi, int exp) { return ExactRange{lo, hi, exp}; }

// Both ranges re-expressed at their common (finer) exponent.
// The constant 0 has no step of its own and never makes the grid finer.
std::pair<ExactRange, ExactRange> aligned(const ExactRange& a, const ExactRange& b) {
    bool a0 = a.lo == 0 && a.hi == 0, b0 = b.lo == 0 && b.hi == 0;
    int e = a0 ? b.exp : b0 ? a.exp : std::min(a.exp, b.exp);
    return {a.at_exp(e), b.at_exp(e)};
}

}  // namespace

ExactRange ExactRange::of(const kif& q) {
    check_format(q, "kif");
    int n = q.i + q.f;
    return make(q.k ? -pow2(n) : 0, pow2(n) - 1, -q.f);
}

ExactRange ExactRange::constant(i128 m, int e) {
    if (m == 0) return ExactRange{0, 0, 0};
    int tz = trailing_zeros(magnitude(m));
    if (e + tz > max_exponent || e + tz < -max_exponent)
        fail("constant", "exponent {} is outside the supported +-{}", e + tz, max_exponent);
    return ExactRange{m >> tz, m >> tz, e + tz};
}

kif ExactRange::minimal_kif() const {
    if (lo == 0 && hi == 0) return kif{0, 0, 0};
    int k = lo < 0 ? 1 : 0;
    int n = std::max(hi > 0 ? bit_length(u128(hi)) : 0, lo < 0 ? bit_length(u128(-(lo + 1))) : 0);
    return kif{k, n + exp, -exp};
}

ExactRange ExactRange::at_exp(int e) const {
    FIXVAR_ASSERT(e <= exp || (lo == 0 && hi == 0));
    if (lo == 0 && hi == 0) return ExactRange{0, 0, e};
    int d = exp - e;
    return ExactRange{checked_shl(lo, d, "align"), checked_shl(hi, d, "align"), e};
}

const ExactRange& ExactRange::check(const char* op) const {
    if (exp > max_exponent || exp < -max_exponent)
        fail(op, "step 2^{} is outside the supported exponent range +-{}", exp, max_exponent);
    int w = width();
    if (w > max_width)
        fail(op, "result range {} needs {} bits; fixvar supports at most {} bits per signal "
                 "(quantize the operands to fewer bits first)",
             to_string(*this), w, max_width);
    return *this;
}

bool ExactRange::contains(const ExactRange& o) const {
    if (o.lo == 0 && o.hi == 0) return lo <= 0 && 0 <= hi;
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

std::string to_string(const ExactRange& r) {
    return fmt::format("[{}, {}]*2^{}", to_string(r.lo), to_string(r.hi), r.exp);
}

ExactRange range_add(const ExactRange& a, const ExactRange& b, bool subtract) {
    auto [x, y] = aligned(a, b);
    if (subtract)
        return make(checked_sub(x.lo, y.hi, "add"), checked_sub(x.hi, y.lo, "add"), x.exp);
    return make(checked_add(x.lo, y.lo, "add"), checked_add(x.hi, y.hi, "add"), x.exp);
}

ExactRange range_neg(const ExactRange& a) { return make(-a.hi, -a.lo, a.exp); }

ExactRange range_shift(const ExactRange& a, int s) {
    if (a.lo == 0 && a.hi == 0) return a;
    int e;
    if (__builtin_add_overflow(a.exp, s, &e))
        fail("shift", "exponent {} + shift {} overflows (exponents lie within +-{})", a.exp, s, max_exponent);
    return make(a.lo, a.hi, e);
}

ExactRange range_mul(const ExactRange& a, const ExactRange& b) {
    i128 c[4] = {checked_mul(a.lo, b.lo, "mul"), checked_mul(a.lo, b.hi, "mul"),
                 checked_mul(a.hi, b.lo, "mul"), checked_mul(a.hi, b.hi, "mul")};
    return make(*std::min_element(c, c + 4), *std::max_element(c, c + 4), a.exp + b.exp);
}

ExactRange range_hull(const ExactRange& a, const ExactRange& b) {
    auto [x, y] = aligned(a, b);
    return make(std::min(x.lo, y.lo), std::max(x.hi, y.hi), x.exp);
}

ExactRange range_max(const ExactRange& a, const ExactRange& b) {
    auto [x, y] = aligned(a, b);
    return make(std::max(x.lo, y.lo), std::max(x.hi, y.hi), x.exp);
}

ExactRange range_min(const ExactRange& a, const ExactRange& b) {
    auto [x, y] = aligned(a, b);
    return make(std::min(x.lo, y.lo), std::min(x.hi, y.hi), x.exp);
}

ExactRange range_abs(const ExactRange& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return range_neg(a);
    return make(0, std::max(-a.lo, a.hi), a.exp);
}

ExactRange range_relu(const ExactRange& a) {
    if (a.lo >= 0) return a;
    if (a.hi <= 0) return make(0, 0, a.exp);
    return make(0, a.hi, a.exp);
}

ExactRange range_meet(const ExactRange& a, const ExactRange& b) {
    ExactRange r = b;
    if (b.lo == 0 && b.hi == 0) {
        r.exp = a.exp;
    } else if (b.exp < a.exp) {  // values lie on a's grid: round b's bounds inward onto it
        int d = a.exp - b.exp;
        r = ExactRange{-floor_shift(-b.lo, d), floor_shift(b.hi, d), a.exp};
    } else {
        r = b.at_exp(a.exp);
    }
    return make(std::max(a.lo, r.lo), std::min(a.hi, r.hi), a.exp);
}

}  // namespace fixvar
