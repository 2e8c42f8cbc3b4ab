// W[0][1] = 0.1 = 1/10 is not m * 2^e.
// expect: weight_is_not_dyadic<fixvar::static_op::matmul, 1, 1, 10>
// expect-first: static assertion failed: compile-time weight is not dyadic
#include <fixvar/static.hpp>

static constexpr fixvar::weights<2, 2> W{1, "0.1", "0.375", -2};

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 2>::input();
    auto y = fixvar::matmul<W>(x);
}
