#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/wide.hpp>

namespace fixvar {

std::string to_string(const kif& q) { return fmt::format("kif{{{},{},{}}}", q.k, q.i, q.f); }

namespace detail {
void fail_format(const kif& q, const char* op) {
    switch (format_fault(q)) {
        case FormatFault::sign: fail(op, "format {}: k (keep_negative) must be 0 or 1", to_string(q));
        case FormatFault::exponent: fail(op, "format {}: i and f must lie within +-{}", to_string(q), max_exponent);
        case FormatFault::too_narrow:
            fail(op, "format {} has width k+i+f = {}; a format needs at least 1 bit", to_string(q), q.width());
        case FormatFault::too_wide:
            fail(op, "format {} has width {} bits; fixvar supports at most {} bits per signal", to_string(q), q.width(),
                 max_width);
        case FormatFault::none: break;
    }
    assertion_failed("format_fault(q) != FormatFault::none", __FILE__, __LINE__);
}
}  // namespace detail

namespace {
kif ap_type(const char* name, int W, int I, int k) {
    if (W < 1) fail(name, "ap type width W = {} (with I = {}): W must be at least 1", W, I);
    kif q{k, I - k, W - I};
    check_format(q, name);
    return q;
}
}  // namespace

kif ap_fixed(int W, int I) { return ap_type("ap_fixed", W, I, 1); }
kif ap_ufixed(int W, int I) { return ap_type("ap_ufixed", W, I, 0); }

}  // namespace fixvar
