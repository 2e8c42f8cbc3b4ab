// kif and the HLS types: ap_fixed<W, I> counts the sign bit in I, kif's i does not.
#include <catch2/catch.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/range.hpp>

#include <cmath>

using namespace fixvar;
using Catch::Contains;

TEST_CASE("ap_fixed / ap_ufixed map to kif with the same range and step", "[core][kif]") {
    CHECK(ap_fixed(8, 3) == kif{1, 2, 5});
    CHECK(ap_ufixed(8, 3) == kif{0, 3, 5});
    CHECK(ap_fixed(1, 1) == kif{1, 0, 0});   // {-1, 0}
    CHECK(ap_fixed(4, 6) == kif{1, 5, -2});  // I > W: steps of 4
    CHECK(ap_ufixed(6, -2) == kif{0, -2, 8});
    // ap_fixed<W, I>: [-2^(I-1), 2^(I-1) - 2^(I-W)] step 2^(I-W); ap_ufixed: [0, 2^I - 2^(I-W)].
    for (int W = 1; W <= 24; ++W)
        for (int I = -4; I <= 28; ++I) {
            CAPTURE(W, I);
            ExactRange s = ExactRange::of(ap_fixed(W, I));
            CHECK(std::ldexp(double(s.lo), s.exp) == -std::ldexp(1.0, I - 1));
            CHECK(std::ldexp(double(s.hi), s.exp) == std::ldexp(1.0, I - 1) - std::ldexp(1.0, I - W));
            CHECK(s.exp == I - W);
            CHECK(ap_fixed(W, I).width() == W);
            ExactRange u = ExactRange::of(ap_ufixed(W, I));
            CHECK(u.lo == 0);
            CHECK(std::ldexp(double(u.hi), u.exp) == std::ldexp(1.0, I) - std::ldexp(1.0, I - W));
            CHECK(ap_ufixed(W, I).width() == W);
        }
}

TEST_CASE("ap types with impossible widths are errors", "[core][kif]") {
    REQUIRE_THROWS_WITH(ap_fixed(0, 0), Contains("ap_fixed: ap type width W = 0 (with I = 0): W must be at least 1"));
    REQUIRE_THROWS_WITH(ap_ufixed(-3, 2), Contains("ap_ufixed: ap type width W = -3"));
    REQUIRE_THROWS_WITH(ap_fixed(130, 3), Contains("width 130 bits") && Contains("at most 120"));
}
