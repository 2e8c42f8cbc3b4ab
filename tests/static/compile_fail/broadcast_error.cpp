// (4, 5) + (3,): the last dimensions 5 and 3 do not broadcast.
// expect: shapes_do_not_broadcast<fixvar::static_op::add, fixvar::static_shape<4, 5>, fixvar::static_shape<3> >
// expect-first: static assertion failed: elementwise operation: the shapes do not broadcast
#include <fixvar/static.hpp>

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 4, 5>::input();
    auto b = fixvar::sarray<fixvar::fx<0, 2, 0>, 3>::input();
    auto y = x + b;
}
