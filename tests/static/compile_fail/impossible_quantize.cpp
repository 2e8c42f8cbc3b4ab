// quantize to fx<1, -5, 2>: width k+i+f = -2 bits.
// expect: impossible_format<fixvar::static_op::quantize, 1, -5, 2>
// expect-first: static assertion failed: impossible format fx<K, I, F>
#include <fixvar/static.hpp>

int main() {
    auto x = fixvar::sarray<fixvar::fx<1, 3, 4>, 8>::input();
    auto y = fixvar::quantize<fixvar::fx<1, -5, 2>, fixvar::Round::RND, fixvar::Overflow::SAT>(x);
}
