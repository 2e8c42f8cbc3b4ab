#include <fixvar/core/error.hpp>
#include <fixvar/core/range.hpp>

// The rules themselves are constexpr in core/range.hpp; here are only their Error messages.
namespace fixvar {

namespace detail {
void fail_constant_exponent(int e) { fail("constant", "exponent {} is outside the supported +-{}", e, max_exponent); }
void fail_shift_exponent(int e, int s) {
    fail("shift", "exponent {} + shift {} overflows (exponents lie within +-{})", e, s, max_exponent);
}
}  // namespace detail

const ExactRange& ExactRange::check(const char* op) const {
    if (exp > max_exponent || exp < -max_exponent)
        fail(op, "step 2^{} is outside the supported exponent range +-{}", exp, max_exponent);
    int w = width();
    if (w > max_width)
        fail(op,
             "result range {} needs {} bits; fixvar supports at most {} bits per signal "
             "(quantize the operands to fewer bits first)",
             to_string(*this), w, max_width);
    return *this;
}

std::string to_string(const ExactRange& r) {
    return fmt::format("[{}, {}]*2^{}", to_string(r.lo), to_string(r.hi), r.exp);
}

}  // namespace fixvar
