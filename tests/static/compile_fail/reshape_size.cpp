// reshape (4, 5) to (3, 7): 20 elements vs 21.
// expect: reshape_sizes_differ<fixvar::static_shape<4, 5>, fixvar::static_shape<3, 7> >
// expect-first: static assertion failed: reshape: the new shape has a different number
#include <fixvar/static.hpp>

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 4, 5>::input();
    auto y = fixvar::reshape<3, 7>(x);
}
