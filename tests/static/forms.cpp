// Tracked arrays (static_input): sums over values that share atoms are narrowed at compile
// time exactly as the tracer narrows them (core/linear_range.hpp's rule, applied to types).
#include "agree.hpp"

#include <fixvar/core/error.hpp>

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

namespace {
constexpr formats<3, 4> Q{kif{1, 3, 4}, {0, 2, 0}, {1, -2, 5}, {0, 5, -2}, {1, 0, 0}, {0, 1, 3},
                          {1, 3, 4},    {0, 2, 0}, {1, 1, 1},  {0, 3, 3},  {1, 2, 0}, {0, 0, 4}};
constexpr weights<4, 5> W45{1,  -2,  "0.375", 0, 3,   //
                            -1, 5,   0.5,     0, -7,  //
                            2,  -3,  "-1.25", 0, 1,   //
                            0,  "2", 0.125,   0, 255};
constexpr weights<5> B5{"0.5", -3, 0, 1, 7};
constexpr weights<5, 5> W55{1, 0, -1, 2, 0, 0, "0.5", 1, 0, -3, 2, 1, 0, 0, 1, 0, -1, 1, 1, 0, 1, 0, 0, -2, "0.25"};
}  // namespace

TEST_CASE("static: tracked arrays agree with the tracer per element (sums over shared atoms)") {
    new_trace();
    auto x = sarray_input<Q>();  // tracked: its own atoms
    auto y = matmul<W45>(x);     // 3x5, forms over x
    auto h = relu(dense<W45, B5>(x));
    check_agrees(sum(y), "sum of matmul outputs");
    check_agrees(sum<0>(y), "sum<0> of matmul outputs");
    check_agrees(sum<1>(y), "sum<1> of matmul outputs");
    check_agrees(y - matmul<W45>(x), "a difference that cancels (a constant 0)");
    check_agrees((y << fixed_c<1>)-y - y, "(y << 1) - y - y");
    check_agrees(-y + y * fixed_c<3>, "-y + 3y");
    check_agrees(y * fixed_c<"-0.75"> + (y >> fixed_c<2>), "-0.75y + y/4");
    check_agrees(h + matmul<W55>(h), "residual over relu outputs");
    check_agrees(sum(h + matmul<W55>(h)) - sum(h), "sum(residual) - sum(h)");
    check_agrees(sum<1>(matmul<W55>(h)) + sum<1>(h), "row sums, residual");
    check_agrees(y * fixed_c<0> + y, "times zero");
    auto u = static_input<fx<1, 3, 4>, 4>();  // other atoms: no narrowing between u and x
    check_agrees(matmul<W45>(u) + y, "sums over two inputs (broadcast)");
    check_agrees(sum(matmul<W45>(u) + y) - sum(y), "the second input's part, exact again");
    check_agrees(sum<0>(transpose(y)) - sum<1>(y), "transposed row sums minus row sums");
    auto c = concatenate<0>(y, reshape<1, 5>(matmul<W45>(u)));  // 4x5 over x and u
    check_agrees(c, "concatenation of tracked arrays");
    check_agrees(sum(c) - sum(y), "sum of a concatenation minus a part");
    check_agrees(sum<1>(concatenate<1>(y, -y)), "rows of y and -y (0)");
}

namespace {
// 70 rows: dense columns (over the budget: their own atoms) and overlapping sparse ones.
constexpr weights<70, 4> Wide = [] {
    weights<70, 4> w{};
    for (std::size_t r = 0; r < 70; ++r) {
        w.values[r * 4 + 0] = weight(int(r % 5) - 2);
        w.values[r * 4 + 1] = weight(r % 3 == 0 ? 1 : -1);
        w.values[r * 4 + 2] = r >= 10 && r < 50 ? weight(int(r % 4) - 1) : weight(0);
        w.values[r * 4 + 3] = r >= 30 ? weight(2) : weight(0);
    }
    return w;
}();
}  // namespace

TEST_CASE("static: forms over the 64-atom budget become atoms as in the tracer") {
    new_trace();
    auto x = static_input<fx<1, 2, 1>, 70>();
    auto y = matmul<Wide>(x);
    check_agrees(y, "columns of 70, 30, 40 and 40 atoms");
    check_agrees(sum(x), "sum of 70 atoms (a partial over the budget)");
    check_agrees(sum(y), "sum of columns over and under the budget");
    check_agrees(sum(y) - sum(x), "a sum minus another");
    check_agrees(x - x, "x - x");
}

TEST_CASE("static: one call site traced twice shares an identity, which the trace-time check reports") {
    new_trace();
    auto make = [] { return static_input<fx<1, 3, 2>, 2>(); };
    auto a = make();
    auto b = make();  // another traced input with a's type: the static layer sees a - b = 0
    static_assert(std::is_same_v<decltype(a), decltype(b)>);
    CHECK_THROWS_AS(a - b, fixvar::Error);
}

TEST_CASE("static: a product by a constant after a matmul stays within the static type") {
    // The tracer builds 3y as (y << 2) - y; -y of a CMVM output must keep -form(y) (it once
    // took an interned adder's form over other atoms, and 3y came out as 4y's interval plus y's).
    new_trace();
    auto x = sarray<fx<1, 3, 4>, 3, 4>::input();  // untracked: the plain product rule
    auto y = matmul<W45>(x);
    check_agrees(y * fixed_c<3>, "3y");
    check_agrees(y * fixed_c<-7>, "-7y");
    check_agrees(-y, "-y");
}

namespace {
constexpr weights<3, 4> W34{1, "-0.5", 2, 0, "0.25", 3, -1, 1, -2, "0.75", "1.5", -1};
constexpr weights<4> B4{"0.5", -1, 0, "0.25"};
constexpr weights<4, 3> V43{1, -2, "0.5", "1.5", 0, -1, -1, 3, 2, "0.25", 1, -1};
}  // namespace

TEST_CASE("static: max/min, amax and products of variables on tracked arrays are new atoms") {
    new_trace();
    auto x = static_input<fx<1, 3, 2>, 3>();
    auto u = static_input<fx<1, 2, 1>, 4>();
    auto y = dense<W34, B4>(x);  // 4 columns, forms over x
    // max as the non-linearity (against a constant, against another input), then matmul, sum.
    auto h = max(y, fixed_c<0>);
    check_agrees(h, "max(y, 0)");
    check_agrees(matmul<V43>(h), "matmul of max(y, 0)");
    check_agrees(sum(matmul<V43>(h)), "sum(matmul(max(y, 0)))");
    check_agrees(sum(matmul<V43>(h)) - sum(h), "sum(matmul(h)) - sum(h)");
    auto g = min(y, u);
    check_agrees(g, "min(y, u)");
    check_agrees(sum(matmul<V43>(g)), "sum(matmul(min(y, u)))");
    check_agrees(g + max(y, u) - y - u, "min + max - y - u (independent atoms: not 0)");
    check_agrees(max(y, fixed_c<-100>) - y, "a decided max passes y through (0)");
    check_agrees(max(y, y * fixed_c<"0.5">) + min(y, y * fixed_c<"0.5">), "max and min of y, y/2");
    // Same op on the same operands: one node in the tracer, one atom array here.
    check_agrees(max(y, u) - max(y, u), "max(y, u) - max(y, u) (0)");
    // Products of two variables.
    auto p = y * u;
    check_agrees(p, "y * u");
    check_agrees(sum(matmul<V43>(p)), "sum(matmul(y * u))");
    check_agrees(p - y * u + y * fixed_c<2>, "y*u - y*u + 2y");
    check_agrees(sum(y * y) - sum(y * y), "sum(y*y) - sum(y*y) (0)");
    // Reductions by max.
    check_agrees(amax(h), "amax(h)");
    check_agrees(amax(h) + amax(h), "2 amax(h)");
    auto m = reshape<2, 2>(h);
    check_agrees(amax<1>(m) - amax<1>(m) + sum<1>(m), "amax<1> - amax<1> + sum<1>");
    check_agrees(amax(max(y, fixed_c<-100>)), "amax of a passed-through y");
}
