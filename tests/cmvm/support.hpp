#pragma once
// Random CMVM problems for the tests (fixed seeds, printed on failure by the callers).
#include <random>
#include <string>

#include <fixvar/cmvm/problem.hpp>

namespace fixvar::cmvm::test {

/// n x m problem with weights of up to `bits` bits (signed), scaled by 2^e with e in
/// [-emax, 0], random input formats (signed/unsigned, negative i or f allowed) and a
/// `zero_pct` share of zero weights.
inline Problem random_problem(std::uint64_t seed, int n, int m, int bits, int emax = 0, int zero_pct = 20) {
    std::mt19937_64 rng(seed);
    Problem p;
    p.name = "rand_" + std::to_string(seed);
    p.n = n;
    p.m = m;
    for (int r = 0; r < n; ++r) {
        kif q;
        do {
            q = kif{int(rng() % 2), int(rng() % 10) - 3, int(rng() % 8) - 2};
        } while (q.width() < 1 || q.width() > 16);
        p.inputs.push_back(q);
    }
    std::int64_t lim = std::int64_t(1) << (bits - 1);
    for (int k = 0; k < n * m; ++k) {
        std::int64_t v = std::int64_t(rng() % std::uint64_t(2 * lim + 1)) - lim;
        if (int(rng() % 100) < zero_pct) v = 0;
        int e = emax ? -int(rng() % std::uint64_t(emax + 1)) : 0;
        p.weights.push_back(Dyadic::make(v, e));
    }
    return p;
}

}  // namespace fixvar::cmvm::test
