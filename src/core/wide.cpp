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

i128 checked_add(i128 a, i128 b, const char* what) {
    i128 r;
    if (__builtin_add_overflow(a, b, &r)) fail(what, "{}", too_wide);
    return r;
}

i128 checked_sub(i128 a, i128 b, const char* what) {
    i128 r;
    if (__builtin_sub_overflow(a, b, &r)) fail(what, "{}", too_wide);
    return r;
}

i128 checked_mul(i128 a, i128 b, const char* what) {
    i128 r;
    if (__builtin_mul_overflow(a, b, &r)) fail(what, "{}", too_wide);
    return r;
}

i128 checked_shl(i128 a, int s, const char* what) {
    if (s < 0) fail(what, "negative shift {} (a left shift by s >= 0 is expected)", s);
    if (a == 0) return 0;
    u128 mag = a < 0 ? u128(-(a + 1)) + 1 : u128(a);
    if (s >= 127 || bit_length(mag) + s > 126)
        fail(what, "{} (shift by {})", too_wide, s);
    return a * pow2(s);
}

std::string to_string(i128 v) {
    if (v == 0) return "0";
    bool neg = v < 0;
    u128 mag = neg ? u128(-(v + 1)) + 1 : u128(v);
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
