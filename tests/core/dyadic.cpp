// Exact constants: doubles and decimal text become dyadic rationals, or an Error.
#include <catch2/catch.hpp>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "reference.hpp"

using namespace fixvar;
using Catch::Contains;

TEST_CASE("from_double is exact", "[core][dyadic]") {
    CHECK(Dyadic::from_double(0.0) == Dyadic{0, 0});
    CHECK(Dyadic::from_double(-0.0) == Dyadic{0, 0});
    CHECK(Dyadic::from_double(0.375) == Dyadic{3, -3});
    CHECK(Dyadic::from_double(-24) == Dyadic{-3, 3});
    CHECK(Dyadic::from_double(1.0) == Dyadic{1, 0});
    CHECK(Dyadic::from_double(0.1).exp == -55);  // the double nearest 0.1, exactly
    CHECK(Dyadic::from_double(std::numeric_limits<double>::denorm_min()) == Dyadic{1, -1074});
    const std::uint32_t seed = 20240611;
    INFO("seed " << seed);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1e6, 1e6);
    for (int t = 0; t < 2000; ++t) {
        double v = std::ldexp(u(rng), int(rng() % 80) - 40);
        Dyadic d = Dyadic::from_double(v);
        ref::Val want = ref::from_double(v);
        CAPTURE(v);
        CHECK(d.mant == want.m);
        CHECK(d.exp == want.e);
        CHECK(d.to_double() == v);
        // short dyadics have exact decimal text that parses back
        Dyadic s = Dyadic::make(i128(rng() % 2000000) - 1000000, int(rng() % 60) - 30);
        CAPTURE(s.to_string());
        CHECK(Dyadic::parse(s.to_string()) == s);
    }
}

// Regression: the exact decimal of an ordinary double needs far more than 120 bits of digits.
TEST_CASE("Dyadic text of an ordinary double parses back", "[core][dyadic]") {
    Dyadic d = Dyadic::from_double(-5.0023931629);
    CAPTURE(d.to_string());
    CHECK(Dyadic::parse(d.to_string()) == d);
}

TEST_CASE("NaN and infinity are errors", "[core][dyadic][errors]") {
    REQUIRE_THROWS_WITH(Dyadic::from_double(std::nan("")), Contains("not a finite number"));
    REQUIRE_THROWS_WITH(Dyadic::from_double(INFINITY, "weight"), Contains("weight") && Contains("inf"));
    REQUIRE_THROWS_AS(Dyadic::from_double(-INFINITY), Error);
}

TEST_CASE("decimal parse", "[core][dyadic]") {
    CHECK(Dyadic::parse("-0.375") == Dyadic{-3, -3});
    CHECK(Dyadic::parse("12") == Dyadic{3, 2});
    CHECK(Dyadic::parse("+1.5") == Dyadic{3, -1});
    CHECK(Dyadic::parse("0") == Dyadic{0, 0});
    CHECK(Dyadic::parse("-0.0") == Dyadic{0, 0});
    CHECK(Dyadic::parse("1.5e3") == Dyadic{375, 2});
    CHECK(Dyadic::parse("15625e-6") == Dyadic{1, -6});
    CHECK(Dyadic::parse("0.0009765625") == Dyadic{1, -10});
    CHECK(Dyadic::parse(".5") == Dyadic{1, -1});
    CHECK(Dyadic{-3, -3}.to_string() == "-0.375");
    CHECK(Dyadic{3, 2}.to_string() == "12");
    CHECK(exact_decimal(1, -10) == "0.0009765625");
}

TEST_CASE("non-dyadic or malformed decimals are errors", "[core][dyadic][errors]") {
    REQUIRE_THROWS_WITH(Dyadic::parse("0.1", "weight"),
                        Contains("weight") && Contains("'0.1'") && Contains("not a dyadic"));
    REQUIRE_THROWS_WITH(Dyadic::parse("1.5e-3"), Contains("not a dyadic"));
    REQUIRE_THROWS_WITH(Dyadic::parse(""), Contains("expected a decimal number"));
    REQUIRE_THROWS_WITH(Dyadic::parse("abc"), Contains("'abc'"));
    REQUIRE_THROWS_WITH(Dyadic::parse("1.2.3"), Contains("unexpected characters"));
    REQUIRE_THROWS_WITH(Dyadic::parse("3x"), Contains("unexpected characters"));
    REQUIRE_THROWS_WITH(Dyadic::parse("1e"), Contains("malformed exponent"));
    REQUIRE_THROWS_AS(Dyadic::parse("-"), Error);
}

TEST_CASE("exact_double refuses values a double cannot hold", "[core][dyadic][errors]") {
    CHECK(exact_double(3, -3) == 0.375);
    REQUIRE_THROWS_WITH(exact_double((i128(1) << 60) + 1, 0, "min()"),
                        Contains("min()") && Contains("not exactly representable"));
}
