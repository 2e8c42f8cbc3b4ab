#pragma once
// The one 64-bit mixer (SplitMix64's finalizer) behind every seeded choice and hash that must
// not depend on the platform: equal seeds give equal runs on any machine.
#include <cstdint>

namespace fixvar {

/// A well-spread 64-bit hash of x (bijective).
constexpr std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

namespace detail {
// The inverse of multiplication by an odd constant modulo 2^64 (Newton: each step doubles the
// correct low bits, 3 -> 6 -> ... -> 96).
constexpr std::uint64_t odd_inverse(std::uint64_t a) {
    std::uint64_t x = a;  // a·a = 1 mod 8
    for (int i = 0; i < 5; ++i) x *= 2 - a * x;
    return x;
}
// The inverse of x ^ (x >> s) for s >= 22: three terms cover all 64 bits.
constexpr std::uint64_t unshift_xor(std::uint64_t y, int s) { return y ^ (y >> s) ^ (y >> (2 * s)); }
}  // namespace detail

/// mix64's inverse: unmix64(mix64(x)) == x (a key can be stored as its hash).
constexpr std::uint64_t unmix64(std::uint64_t y) {
    std::uint64_t x = detail::unshift_xor(y, 31);
    x = detail::unshift_xor(x * detail::odd_inverse(0x94d049bb133111ebULL), 27);
    x = detail::unshift_xor(x * detail::odd_inverse(0xbf58476d1ce4e5b9ULL), 30);
    return x - 0x9e3779b97f4a7c15ULL;
}
static_assert(unmix64(mix64(0)) == 0 && unmix64(mix64(0x123456789abcdefULL)) == 0x123456789abcdefULL &&
              unmix64(mix64(~0ULL)) == ~0ULL);

/// SplitMix64: a counter fed through mix64; next() is mix64 of successive states.
struct SplitMix64 {
    std::uint64_t state = 0;
    std::uint64_t next() {
        std::uint64_t z = mix64(state);
        state += 0x9e3779b97f4a7c15ULL;
        return z;
    }
    int below(int n) { return int(next() % std::uint64_t(n)); }
};

}  // namespace fixvar
