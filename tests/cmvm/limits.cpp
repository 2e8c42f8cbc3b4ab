// The optimizer's size limits at their boundaries: the widest weights it takes (a 60-bit span)
// solve exactly in every algorithm and objective, one bit more is an Error; a problem past the
// 24-bit node-id limit is an Error before anything runs.
#include <catch2/catch.hpp>

#include <random>

#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

using namespace fixvar;
using namespace fixvar::cmvm;
using Catch::Contains;

namespace {

// n x m weights of full 60-bit magnitude (span exactly 60 bits: the top bit set in some weight,
// bit 0 in another), signed inputs of 1..20 bits.
Problem span60(std::uint64_t seed, int n, int m) {
    std::mt19937_64 rng(seed);
    Problem p;
    p.name = "span60_" + std::to_string(seed);
    p.n = n;
    p.m = m;
    for (int r = 0; r < n; ++r) p.inputs.push_back(kif{int(rng() % 2), int(rng() % 12), int(rng() % 9)});
    for (int k = 0; k < n * m; ++k) {
        std::int64_t v = std::int64_t(rng() >> 4) | 1;  // 60 bits, odd
        p.weights.push_back(Dyadic::make(rng() % 2 ? v : -v, 0));
    }
    p.weights[0] = Dyadic::make((std::int64_t(1) << 60) - 1, 0);
    return p;
}

}  // namespace

TEST_CASE("weights spanning 60 bits solve exactly, 61 bits is an Error", "[cmvm][limits]") {
    for (std::uint64_t seed : {1}) {
        INFO("seed " << seed);
        Problem p = span60(seed, 5, 4);
        for (Algorithm a : {Algorithm::Naive, Algorithm::Baseline, Algorithm::Improved})
            for (Objective o : {Objective::Cost, Objective::Adders}) {
                Options opt;
                opt.algorithm = a;
                opt.objective = o;
                opt.threads = 1;
                Solution s = solve(p, opt);  // verified exact inside solve()
                CHECK(s.exact);
                CHECK(verify(s, p, 64, seed));
            }
        Problem wider = p;
        wider.weights[1] = Dyadic::make(1, -1);  // adds one bit below 2^0
        REQUIRE_THROWS_WITH(solve(wider), Contains("span 61 bits") && Contains("at most 60"));
    }
}

TEST_CASE("a problem past the optimizer's node-id limit is an Error at once", "[cmvm][limits]") {
    // 1 x 300000 weights of 30 signed digits each (0x0555...5): 9e6 digits, 2 x 9e6 > 2^24.
    Problem p;
    p.name = "many_digits";
    p.n = 1;
    p.m = 300000;
    p.inputs = {kif{1, 3, 0}};
    p.weights.assign(std::size_t(p.m), Dyadic::make(0x0555555555555555LL, 0));
    REQUIRE_THROWS_WITH(solve(p), Contains("many_digits' (1 x 300000) has 9000000 signed digits") && Contains("2^24") &&
                                      Contains("naive"));
    Options naive;
    naive.algorithm = Algorithm::Naive;
    p.m = 2000;  // the naive graph has no pattern keys; a smaller one keeps the test fast
    p.weights.resize(2000);
    CHECK(solve(p, naive).exact);
}
