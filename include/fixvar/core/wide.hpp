#pragma once
// Wide integers for exact mantissas. Every signal's mantissa fits in `i128`; all arithmetic
// on bounds goes through the checked helpers here, which throw `Error` instead of overflowing.
#include <cstdint>
#include <string>

namespace fixvar {

using i128 = __int128;
using u128 = unsigned __int128;

/// Widest signal fixvar supports: k+i+f <= max_width bits. The headroom up to 127 bits lets
/// two aligned operands be added without overflow before the result is checked.
inline constexpr int max_width = 120;
/// Exponents (powers of two of a step) are kept within +-max_exponent.
inline constexpr int max_exponent = 4096;

/// Number of bits needed for the magnitude of a non-negative value (0 -> 0, 1 -> 1, 4 -> 3).
constexpr int bit_length(u128 v) {
    auto hi = std::uint64_t(v >> 64), lo = std::uint64_t(v);
    if (hi) return 128 - __builtin_clzll(hi);
    return lo ? 64 - __builtin_clzll(lo) : 0;
}

/// Number of trailing zero bits (v != 0).
constexpr int trailing_zeros(u128 v) {
    auto lo = std::uint64_t(v);
    return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll(std::uint64_t(v >> 64));
}

constexpr i128 pow2(int n) { return i128(1) << n; }

/// |v| (exact for the most negative value too).
constexpr u128 magnitude(i128 v) { return v < 0 ? u128(-(v + 1)) + 1 : u128(v); }

/// floor(v / 2^s) for s >= 0 (arithmetic shift, exact for negative v too).
constexpr i128 floor_shift(i128 v, int s) { return s >= 127 ? (v < 0 ? -1 : 0) : (v >> s); }

namespace detail {
// The Error paths of the checked helpers (out of line: the helpers stay constexpr and cheap).
[[noreturn]] void fail_too_wide(const char* what);
[[noreturn]] void fail_too_wide_shift(const char* what, int s);
[[noreturn]] void fail_negative_shift(const char* what, int s);
}  // namespace detail

// Checked arithmetic: Error naming `what` on overflow. constexpr, so the compile-time layer
// (static/rules.hpp) runs the same rules; an overflow there is a compile error.
constexpr i128 checked_add(i128 a, i128 b, const char* what) {
    i128 r;
    if (__builtin_add_overflow(a, b, &r)) detail::fail_too_wide(what);
    return r;
}

constexpr i128 checked_sub(i128 a, i128 b, const char* what) {
    i128 r;
    if (__builtin_sub_overflow(a, b, &r)) detail::fail_too_wide(what);
    return r;
}

constexpr i128 checked_mul(i128 a, i128 b, const char* what) {
    i128 r;
    if (__builtin_mul_overflow(a, b, &r)) detail::fail_too_wide(what);
    return r;
}

/// a * 2^s for s >= 0, checked.
constexpr i128 checked_shl(i128 a, int s, const char* what) {
    if (s < 0) detail::fail_negative_shift(what, s);
    if (a == 0) return 0;
    if (s >= 127 || bit_length(magnitude(a)) + s > 126) detail::fail_too_wide_shift(what, s);
    return a * pow2(s);
}

std::string to_string(i128 v);
/// Parses a decimal integer (optional sign); throws Error naming `what` if malformed/too big.
i128 parse_i128(std::string_view text, const char* what);

}  // namespace fixvar
