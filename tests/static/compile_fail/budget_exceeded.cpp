// The product of fx<1,3,4> and fx<1,2,2> needs 13 bits: over a 12-bit budget.
// expect: width_exceeds_budget<12, 13, fixvar::fx<1, 6, 6, fixvar::rules::srange{-2032, 2048, -6}> >
// expect-first: static assertion failed: require_width<Budget>(x): x's element format
#include <fixvar/static.hpp>

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 8>::input();
    auto w = fixvar::sarray<fixvar::fx<1, 2, 2>, 8>::input();
    auto y = fixvar::require_width<12>(x * w);
}
