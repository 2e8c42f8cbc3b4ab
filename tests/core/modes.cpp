// kif checks and mode names.
#include <catch2/catch.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>

using namespace fixvar;
using Catch::Contains;

TEST_CASE("kif width and range", "[core][kif]") {
    CHECK(kif{1, 3, 2}.width() == 6);
    CHECK(kif{1, 5, -3}.width() == 3);
    CHECK(ExactRange::of(kif{1, 5, -3}) == ExactRange{-4, 3, 3});  // -24 = -3 * 8 fits
    CHECK(ExactRange::of(kif{0, -2, 4}) == ExactRange{0, 3, -4});
    CHECK(to_string(kif{1, -2, 4}) == "kif{1,-2,4}");
}

TEST_CASE("invalid kif is an Error naming the format", "[core][kif][errors]") {
    REQUIRE_THROWS_AS(check_format(kif{1, 0, -1}, "input"), Error);
    REQUIRE_THROWS_WITH(check_format(kif{1, 0, -1}, "input"),
                        Contains("input") && Contains("kif{1,0,-1}") && Contains("at least 1 bit"));
    REQUIRE_THROWS_WITH(check_format(kif{0, 0, 0}, "quantize"), Contains("quantize") && Contains("width"));
    REQUIRE_THROWS_WITH(check_format(kif{1, 100, 20}, "input"), Contains("121") && Contains("at most 120"));
    REQUIRE_NOTHROW(check_format(kif{1, 100, 19}, "input"));
    REQUIRE_THROWS_WITH(check_format(kif{2, 3, 0}, "input"), Contains("k (keep_negative)"));
    REQUIRE_THROWS_WITH(check_format(kif{-1, 3, 0}, "input"), Contains("0 or 1"));
    REQUIRE_THROWS_WITH(check_format(kif{0, 5000, -4990}, "input"), Contains("i and f"));
}

TEST_CASE("mode names round-trip", "[core][modes]") {
    for (Round r : all_rounds) CHECK(parse_round(to_string(r)) == r);
    for (Overflow o : all_overflows) CHECK(parse_overflow(to_string(o)) == o);
    CHECK(to_string(Round::RND_MIN_INF) == "RND_MIN_INF");
    CHECK(to_string(Overflow::SAT_SYM) == "SAT_SYM");
    REQUIRE_THROWS_WITH(parse_round("RND_NEAREST"), Contains("unknown rounding mode 'RND_NEAREST'"));
    REQUIRE_THROWS_WITH(parse_overflow("CLAMP"), Contains("unknown overflow mode 'CLAMP'"));
}
