#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>

// quantize's rules are constexpr in core/quantize.hpp; here: values (doubles) onto a grid.
namespace fixvar {

namespace detail {
void fail_far_exponent(int e, int f) { fail("quantize", "exponent {} or fractional bits {} outside +-2^28", e, f); }
}  // namespace detail

Dyadic round_value(double v, int f, Round round, std::string_view what) {
    Dyadic d = Dyadic::from_double(v, what);
    if (f < -max_exponent || f > max_exponent)
        fail(what, "{} fractional bits: a step 2^-f needs |f| <= {}", f, max_exponent);
    i128 m = round_mantissa(d.mant, d.exp, f, round);
    if (bit_length(magnitude(m)) > max_width)
        fail(what, "{} at step 2^{} needs more than {} bits; use fewer fractional bits", v, -f, max_width);
    return Dyadic::make(m, -f);
}

Dyadic quantize_value(double v, const kif& q, Round round, std::string_view what) {
    check_format(q, std::string(what).c_str());
    Dyadic d = round_value(v, q.f, round, what);
    ExactRange r = ExactRange::of(q);
    i128 m = d.is_zero() ? 0 : checked_shl(d.mant, d.exp + q.f, "quantize_value");
    if (m < r.lo || m > r.hi)
        fail(what,
             "{} rounds to {}, outside {} (range [{}, {}]); choose a format with more "
             "integer bits",
             v, d.to_string(), to_string(q), exact_decimal(r.lo, r.exp), exact_decimal(r.hi, r.exp));
    return d;
}

}  // namespace fixvar
