#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/wide.hpp>

namespace fixvar {

std::string to_string(const kif& q) { return fmt::format("kif{{{},{},{}}}", q.k, q.i, q.f); }

void check_format(const kif& q, const char* op) {
    if (q.k != 0 && q.k != 1)
        fail(op, "format {}: k (keep_negative) must be 0 or 1", to_string(q));
    if (q.i < -max_exponent || q.i > max_exponent || q.f < -max_exponent || q.f > max_exponent)
        fail(op, "format {}: i and f must lie within +-{}", to_string(q), max_exponent);
    if (q.width() < 1)
        fail(op, "format {} has width k+i+f = {}; a format needs at least 1 bit", to_string(q),
             q.width());
    if (q.width() > max_width)
        fail(op, "format {} has width {} bits; fixvar supports at most {} bits per signal",
             to_string(q), q.width(), max_width);
}

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
