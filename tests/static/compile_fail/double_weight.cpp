// 0.1 as a double has 52 significant bits: rejected like a traced constant(0.1).
// expect: weight_double_too_precise<fixvar::static_op::dense, 2>
// expect-first: static assertion failed: compile-time weight number Index (row-major) is a double
#include <fixvar/static.hpp>

static constexpr fixvar::weights<2, 2> W{1, 0.5, 0.1, -2};

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 2>::input();
    auto y = fixvar::dense<W>(x);
}
