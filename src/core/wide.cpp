#include <fixvar/core/error.hpp>
#include <fixvar/core/wide.hpp>

#include <algorithm>

namespace fixvar {
namespace {
// What to change when an exact value does not fit (e.g. a 60-bit x 70-bit product).
constexpr const char* too_wide =
    "value exceeds 127-bit arithmetic: the exact result needs more bits than fixvar computes with "
    "(signals hold at most 120 bits); quantize the operands to fewer bits first";
}  // namespace

namespace detail {
void fail_too_wide(const char* what) { fail(what, "{}", too_wide); }
void fail_too_wide_shift(const char* what, int s) { fail(what, "{} (shift by {})", too_wide, s); }
void fail_negative_shift(const char* what, int s) {
    fail(what, "negative shift {} (a left shift by s >= 0 is expected)", s);
}
}  // namespace detail

std::string to_string(i128 v) {
    if (v == 0) return "0";
    bool neg = v < 0;
    u128 mag = magnitude(v);
    std::string s;
    while (mag) {
        s.push_back(char('0' + int(mag % 10)));
        mag /= 10;
    }
    if (neg) s.push_back('-');
    std::reverse(s.begin(), s.end());
    return s;
}

i128 parse_i128(std::string_view text, const char* what) {
    std::string_view t = text;
    bool neg = false;
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        neg = t[0] == '-';
        t.remove_prefix(1);
    }
    if (t.empty()) fail(what, "expected an integer, got '{}'", text);
    i128 v = 0;
    for (char c : t) {
        if (c < '0' || c > '9') fail(what, "expected an integer, got '{}'", text);
        if (v > (pow2(125) - 10) / 10) fail(what, "integer '{}' is too large (max 125 bits)", text);
        v = v * 10 + (c - '0');
    }
    return neg ? -v : v;
}

}  // namespace fixvar
