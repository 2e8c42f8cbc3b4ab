// matmul(x, W) with x (4, 5) and W (6, 3): the inner dimensions differ.
// expect: inner_dimensions_differ<fixvar::static_op::matmul, fixvar::static_shape<4, 5>, fixvar::static_shape<6, 3> >
// expect-first: static assertion failed: matmul / dense: x's last dimension differs
#include <fixvar/static.hpp>

static constexpr fixvar::weights<6, 3> W{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 4, 5>::input();
    auto y = fixvar::matmul<W>(x);
}
