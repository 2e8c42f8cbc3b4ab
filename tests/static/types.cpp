// Formats and shapes as constexpr values, the bit budget, and the trace-time check.
#include "agree.hpp"

using namespace agree;

TEST_CASE("static: results the tracer knows better are still inside the static type") {
    new_trace();
    auto x = sarray<fx<1, 3, 2>, 4>::input();
    auto d = x - x;  // the tracer folds this to 0; per-type rules cannot know
    CHECK(dynamic_hull(d.array()) == ExactRange{0, 0, 0});
    STATIC_REQUIRE(kif_v<decltype(d)> == kif{1, 4, 2});
}

TEST_CASE("static: formats, widths and shapes are constexpr values") {
    using X = sarray<fx<1, 3, 4>, 16>;
    STATIC_REQUIRE(width_v<X> == 8);
    STATIC_REQUIRE(kif_v<X> == kif{1, 3, 4});
    STATIC_REQUIRE(X::format::k == hana::int_c<1>);
    STATIC_REQUIRE(shape_v<X> == hana::tuple_c<std::size_t, 16>);
    using P = decltype(std::declval<X>() * std::declval<sarray<fx<1, 2, 2>, 16>>());
    // [-128, 127] * [-16, 15] at 2^-6: corners -2032 .. 2048 -> 13 bits.
    STATIC_REQUIRE(std::is_same_v<P::format, fx<1, 6, 6, srange{-2032, 2048, -6}>>);
    STATIC_REQUIRE(width_v<decltype(relu(std::declval<X>()))> == 7);
    new_trace();
    auto y = require_width<8>(X::input());
    STATIC_REQUIRE(width_v<decltype(y)> == 8);
}

TEST_CASE("static: the trace-time check rejects an array outside the static type") {
    new_trace();
    FixedVariableArray a = input({2}, kif{1, 3, 0});
    CHECK_THROWS_WITH((sarray<fx<0, 2, 0>, 2>(a, "wrap")),
                      Catch::Contains("wrap: element 0 has exact range [-8, 7]*2^0"));
    CHECK_THROWS_WITH((sarray<fx<1, 3, 0>, 3>(a, "wrap")), Catch::Contains("static type has shape (3,)"));
    CHECK_NOTHROW(sarray<fx<1, 3, 0>, 2>(a));
}

TEST_CASE("static: compile-time weights are exact dyadics") {
    STATIC_REQUIRE(weight("0.375").mant == 3 && weight("0.375").exp == -3);
    STATIC_REQUIRE(weight("-1.5e1").mant == -15 && weight("-1.5e1").exp == 0);
    STATIC_REQUIRE(weight(0.625).mant == 5 && weight(0.625).is_accepted());
    STATIC_REQUIRE(ratio(-12, 32).mant == -3 && ratio(-12, 32).exp == -3);
    STATIC_REQUIRE(!weight("0.1").is_dyadic() && weight("0.1").denominator() == 10);
    STATIC_REQUIRE(!ratio(1, 3).is_dyadic());
    STATIC_REQUIRE(weight(0.1).is_dyadic() && !weight(0.1).is_accepted());  // 52-bit double
    STATIC_REQUIRE(weight(16777217.0).is_accepted());                       // 25 bits
    constexpr weights<3> w{1, "0.1", 2};
    STATIC_REQUIRE(w.first_rejected() == 1);
}
