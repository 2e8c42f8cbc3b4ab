// Tracked arrays (static_input): sums over values that share atoms are narrowed at compile
// time exactly as the tracer narrows them (core/linear_range.hpp's rule, applied to types).
#include "agree.hpp"

using namespace agree;

namespace {
constexpr weights<3, 2> W{1, "-0.5", "0.25", 2, -1, "0.75"};
constexpr weights<2> B{"0.5", -1};
constexpr weights<2, 2> V{1.5, -2, 0, 0.125};
}  // namespace

TEST_CASE("static: the issue-21 example sums to kif{1,3,4} at compile time, as the tracer") {
    new_trace();
    auto x = static_input<fx<1, 3, 2>, 3>();
    auto h = quantize<fx<0, 4, 1>, Round::RND, Overflow::SAT>(relu(dense<W, B>(x)));
    auto z = matmul<V>(h);
    auto s = sum(z);
    static_assert(kif_v<decltype(s)> == kif{1, 3, 4});
    check_agrees(z, "z");
    check_agrees(s, "sum(z)");
    // Untracked (sarray::input): anonymous atoms, the interval sum — looser, still sound.
    auto xu = sarray<fx<1, 3, 2>, 3>::input();
    auto su = sum(matmul<V>(quantize<fx<0, 4, 1>, Round::RND, Overflow::SAT>(relu(dense<W, B>(xu)))));
    static_assert(width_v<decltype(su)> > width_v<decltype(s)>);
}
