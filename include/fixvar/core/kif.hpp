#pragma once
// kif: the fixed-point format (keep_negative k, integer bits i excluding sign, fractional bits f).
// Range [-k*2^i, 2^i - 2^-f], step 2^-f, width k+i+f. i and f may be negative (width >= 1).
// Example: -24 fits kif{1, 5, -3} (3 bits: mantissa -3 at step 8).
#include <string>

#include <fixvar/core/wide.hpp>

namespace fixvar {

struct kif {
    int k = 1;
    int i = 0;
    int f = 0;

    constexpr int width() const { return k + i + f; }
    friend constexpr bool operator==(const kif&, const kif&) = default;
};

std::string to_string(const kif& q);

/// HLS types as kif: ap_fixed<W, I> is signed with I integer bits counting the sign bit, so
/// kif{1, I-1, W-I}; ap_ufixed<W, I> is kif{0, I, W-I}. Example: ap_fixed<8, 3> = kif{1, 2, 5}
/// ([-4, 3.96875], step 1/32). Error unless W >= 1 and the format is valid.
kif ap_fixed(int W, int I);
kif ap_ufixed(int W, int I);

/// What makes a format invalid (the first rule it breaks), or `none`.
enum class FormatFault { none, sign, exponent, too_narrow, too_wide };

constexpr FormatFault format_fault(const kif& q) {
    if (q.k != 0 && q.k != 1) return FormatFault::sign;
    if (q.i < -max_exponent || q.i > max_exponent || q.f < -max_exponent || q.f > max_exponent)
        return FormatFault::exponent;
    if (q.width() < 1) return FormatFault::too_narrow;
    if (q.width() > max_width) return FormatFault::too_wide;
    return FormatFault::none;
}

constexpr bool is_valid_format(const kif& q) { return format_fault(q) == FormatFault::none; }

namespace detail {
[[noreturn]] void fail_format(const kif& q, const char* op);  // the message for format_fault(q)
}  // namespace detail

/// Throws Error (naming `op`) unless k in {0,1}, 1 <= width <= max_width and exponents sane.
constexpr void check_format(const kif& q, const char* op) {
    if (!is_valid_format(q)) detail::fail_format(q, op);
}

}  // namespace fixvar
