// Hostile sizes and indices end in a clear Error: flat() out of bounds, shapes whose element
// count overflows or exceeds what a trace holds, products wider than the exact arithmetic.
#include <catch2/catch.hpp>

#include <fixvar/fixvar.hpp>

using namespace fixvar;
using Catch::Contains;

TEST_CASE("flat() outside the array is an Error", "[trace][errors]") {
    new_trace();
    FixedVariableArray a = input({2, 3}, kif{1, 3, 0});
    CHECK_NOTHROW(a.flat(5));
    REQUIRE_THROWS_WITH(a.flat(1000000), Contains("index 1000000 is out of bounds for an array of 6"));
    REQUIRE_THROWS_WITH(a.flat(-1), Contains("out of bounds"));
}

TEST_CASE("shapes too large for a trace are rejected before allocating", "[trace][errors]") {
    new_trace();
    std::int64_t big = std::int64_t(1) << 40;
    REQUIRE_THROWS_WITH(input({big, big}, kif{1, 3, 0}), Contains("more elements than a trace holds"));
    REQUIRE_THROWS_WITH(input({big, big, 4}, kif{1, 3, 0}), Contains("more elements than a trace holds"));
    REQUIRE_THROWS_WITH(zeros({big, 1 << 20}), Contains("more elements"));
    CHECK(input({big, 0}, kif{1, 3, 0}).size() == 0);
}

TEST_CASE("a product past the exact arithmetic says what to change", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 59, 0}), y = input(kif{1, 69, 0});
    REQUIRE_THROWS_WITH(x * y, Contains("quantize the operands to fewer bits"));
}
