// Agreement of reshape, transpose, concatenate, sum, amax.
#include "agree.hpp"

using namespace agree;

TEST_CASE("static: shape operations and reductions agree with the tracer") {
    hana::for_each(test_formats, [](auto ta) {
        using A = typename decltype(ta)::type;
        new_trace();
        auto x = sarray<A, 2, 3>::input();
        auto z = sarray<fx<1, 1, 6>, 5, 3>::input();
        std::string n = name_of<A>();
        check_agrees(reshape<3, 2>(x), n + " reshape");
        check_agrees(transpose(x), n + " transpose");
        check_agrees(transpose<1, 0>(x), n + " transpose<1, 0>");
        check_agrees(concatenate<0>(x, z), n + " concatenate<0>");
        check_agrees(concatenate<0>(x * fixed_c<3>, x), n + " concatenate<0>(x*3, x)");
        check_agrees(sum(x), n + " sum");
        check_agrees(sum<0>(x), n + " sum<0>");
        check_agrees(sum<1>(x * fixed_c<3>), n + " sum<1>(x*3)");
        check_agrees(amax(x), n + " amax");
        check_agrees(amax<1>(x), n + " amax<1>");
    });
    new_trace();
    auto x = sarray<fx<0, 3, 0>, 2, 3, 4>::input();
    auto t = transpose<2, 0, 1>(x);
    STATIC_REQUIRE(std::is_same_v<decltype(t), sarray<fx<0, 3, 0>, 4, 2, 3>>);
    CHECK(t.array().shape() == Shape{4, 2, 3});
    STATIC_REQUIRE(std::is_same_v<decltype(sum<1>(x)), sarray<fx<0, 5, 0, srange{0, 21, 0}>, 2, 4>>);
}
