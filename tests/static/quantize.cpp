// Agreement of quantize with the tracer over rounding and overflow modes.
#include "agree.hpp"

using namespace agree;

TEST_CASE("static: quantize agrees with the tracer for every mode") {
    constexpr auto targets = hana::tuple_t<fx<1, 2, 2>, fx<0, 3, 1>, fx<1, 6, 5>, fx<0, 2, -1>>;
    hana::for_each(test_formats, [&](auto ta) {
        hana::for_each(targets, [](auto tq) {
            using A = typename decltype(ta)::type;
            using Q = typename decltype(tq)::type;
            new_trace();
            auto x = sarray<A, 3>::input();
            auto y = x * fixed_c<3>;  // a range tighter than its kif
            std::string n = name_of<A>() + " -> " + name_of<Q>();
            hana::for_each(hana::make_tuple(hana::int_c<0>, hana::int_c<2>, hana::int_c<6>), [&](auto r) {
                constexpr Round round = all_rounds[decltype(r)::value];
                std::string m = n + " round " + std::string(to_string(round));
                check_agrees(quantize<Q, round, Overflow::WRAP>(x), m + " WRAP");
                check_agrees(quantize<Q, round, Overflow::SAT>(x), m + " SAT");
                check_agrees(quantize<Q, round, Overflow::SAT_SYM>(y), m + " SAT_SYM (x*3)");
                check_agrees(quantize<Q, round, Overflow::SAT_ZERO>(y), m + " SAT_ZERO (x*3)");
                check_agrees(quantize<Q, round, Overflow::WRAP>(y), m + " WRAP (x*3)");
            });
        });
    });
}
