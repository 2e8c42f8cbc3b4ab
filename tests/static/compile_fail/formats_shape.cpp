// Per-element formats of the wrong shape: 3 formats for a 4-element array.
// expect: formats_shape_differs<fixvar::static_op::quantize, fixvar::static_shape<3>, fixvar::static_shape<4> >
// expect-first: static assertion failed: quantize<Q>(x) with per-element formats: Q's shape differs from x's
#include <fixvar/static.hpp>

constexpr fixvar::formats<3> Q{fixvar::kif{0, 2, 1}, {1, 0, 3}, {0, 1, 0}};

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 4>::input();
    auto y = fixvar::quantize<Q>(x);
}
