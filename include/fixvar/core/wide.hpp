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

/// floor(v / 2^s) for s >= 0 (arithmetic shift, exact for negative v too).
constexpr i128 floor_shift(i128 v, int s) { return s >= 127 ? (v < 0 ? -1 : 0) : (v >> s); }

i128 checked_add(i128 a, i128 b, const char* what);
i128 checked_sub(i128 a, i128 b, const char* what);
i128 checked_mul(i128 a, i128 b, const char* what);
/// a * 2^s for s >= 0, checked.
i128 checked_shl(i128 a, int s, const char* what);

std::string to_string(i128 v);
/// Parses a decimal integer (optional sign); throws Error naming `what` if malformed/too big.
i128 parse_i128(std::string_view text, const char* what);

}  // namespace fixvar
