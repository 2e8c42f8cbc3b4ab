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
