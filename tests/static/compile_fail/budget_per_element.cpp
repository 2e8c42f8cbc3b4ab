// A per-element result over budget: the widest of the two columns (x * 3: 6 bits; x * 13: 8 bits).
// expect: width_exceeds_budget<7, 8, fixvar::fx_each<fixvar::srange_list<2>{fixvar::rules::srange
// [2]{fixvar::rules::srange{-24, 21, 0}, fixvar::rules::srange{-104, 91, 0}}}> > expect-first: static assertion failed:
// require_width<Budget>(x): x's element format
#include <fixvar/static.hpp>

constexpr fixvar::weights<1, 2> W{3, 13};

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 0>, 1>::input();
    auto y = fixvar::require_width<7>(fixvar::matmul<W>(x));
}
