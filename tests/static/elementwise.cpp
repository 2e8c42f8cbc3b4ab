// Agreement of + - * max min (with broadcasting), unary ops, shifts and constants.
#include "agree.hpp"

using namespace agree;

TEST_CASE("static: elementwise binary ops agree with the tracer (broadcasting)") {
    hana::for_each(test_formats, [](auto ta) {
        hana::for_each(test_formats, [](auto tb) {
            using A = typename decltype(ta)::type;
            using B = typename decltype(tb)::type;
            new_trace();
            auto x = sarray<A, 2, 3>::input();
            auto y = sarray<B, 3>::input();  // broadcasts along the first axis
            std::string pair = name_of<A>() + " op " + name_of<B>();
            check_agrees(x + y, pair + " +");
            check_agrees(x - y, pair + " -");
            check_agrees(y - x, pair + " - (swapped)");
            check_agrees(x * y, pair + " *");
            check_agrees(max(x, y), pair + " max");
            check_agrees(min(x, y), pair + " min");
        });
    });
}

TEST_CASE("static: unary ops, shifts and constants agree with the tracer") {
    hana::for_each(test_formats, [](auto ta) {
        using A = typename decltype(ta)::type;
        new_trace();
        auto x = sarray<A, 4>::input();
        std::string n = name_of<A>();
        check_agrees(-x, n + " neg");
        check_agrees(abs(x), n + " abs");
        check_agrees(abs(-x), n + " abs(neg)");
        check_agrees(relu(x), n + " relu");
        check_agrees(relu(-x), n + " relu(neg)");
        check_agrees(x << fixed_c<3>, n + " << 3");
        check_agrees(x >> hana::int_c<2>, n + " >> 2");
        check_agrees(x * fixed_c<3>, n + " * 3");
        check_agrees(x * fixed_c<-0.75>, n + " * -0.75");
        check_agrees(x + fixed_c<"0.375">, n + " + 0.375");
        check_agrees(fixed_c<5> - x, n + " 5 - x");
        check_agrees(x * fixed_c<0>, n + " * 0");
        check_agrees(max(x, fixed_c<0>), n + " max(x, 0)");
        check_agrees(min(relu(x), fixed_c<-1>), n + " min(relu(x), -1)");
        check_agrees(relu(x * fixed_c<3>) + relu(x * fixed_c<3>), n + " chain");
    });
}
