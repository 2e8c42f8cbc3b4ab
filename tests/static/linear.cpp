// Agreement of matmul / dense / einsum with compile-time weights: the exact column hull.
#include "agree.hpp"

using namespace agree;

namespace {
// Mixed signs, a zero column, powers of two, fractions, an odd large mantissa.
constexpr weights<4, 5> W{1,  -2,  "0.375", 0, 3,   //
                          -1, 5,   0.5,     0, -7,  //
                          2,  -3,  "-1.25", 0, 1,   //
                          0,  "2", 0.125,   0, 255};
constexpr weights<5> Bias{"0.5", -3, 0, 1, 7};
constexpr weights<2, 3, 4> W3{1, 0, -1, 2, 3, -3, 1, 0, 0, 0, 2, 1, 2, 1, 1, 1, -4, 0, 0, 1, 1, 1, 1, -1};
}  // namespace

TEST_CASE("static: dense / matmul / einsum output ranges are the exact column hull") {
    hana::for_each(test_formats, [](auto ta) {
        using A = typename decltype(ta)::type;
        new_trace();
        auto x = sarray<A, 3, 4>::input();
        auto v = sarray<A, 4>::input();
        std::string n = name_of<A>();
        check_agrees(matmul<W>(x), n + " matmul");
        check_agrees(matmul<W>(v), n + " matmul 1-D");
        check_agrees(dense<W>(x), n + " dense");
        check_agrees(dense<W, Bias>(x), n + " dense + bias");
        check_agrees(relu(dense<W, Bias>(v)), n + " relu(dense)");
        check_agrees(einsum<"ij,jk->ik", W>(x), n + " einsum ij,jk->ik");
        check_agrees(einsum<"ij,jk->ki", W>(x), n + " einsum ij,jk->ki");
        check_agrees(einsum<"j,jk->k", W>(v), n + " einsum j,jk->k");
        auto u = sarray<A, 3, 2>::input();
        check_agrees(einsum<"bi,ijk->bjk", W3>(u), n + " einsum bi,ijk->bjk");
        // Each column alone: the static range is that column's exact range.
        static constexpr weights<4, 1> col{"-1.5", 3, 0, "0.25"};
        check_agrees(matmul<col>(v), n + " one column");
    });
}

namespace {
constexpr formats<3, 4> Q{kif{1, 3, 4}, {0, 2, 0}, {1, -2, 5}, {0, 5, -2}, {1, 0, 0}, {0, 1, 3},
                          {1, 3, 4},    {0, 2, 0}, {1, 1, 1},  {0, 3, 3},  {1, 2, 0}, {0, 0, 4}};
}  // namespace

TEST_CASE("static: per-element inputs through products, sums and reductions agree per element") {
    new_trace();
    auto x = sarray_input<Q>();  // every element its own format
    check_agrees(x, "per-element input");
    check_agrees(matmul<W>(x), "matmul");
    check_agrees(dense<W, Bias>(x), "dense + bias");
    check_agrees(einsum<"ij,jk->ki", W>(x), "einsum ij,jk->ki");
    check_agrees(einsum<"ij,jk->k", W>(x), "einsum ij,jk->k (x-only letter summed)");
    auto h = relu(dense<W, Bias>(x));  // 3x5, differing columns
    check_agrees(sum(h), "sum of differing elements");
    check_agrees(sum<0>(h), "sum<0>");
    check_agrees(sum<1>(h), "sum<1>");
    check_agrees(amax<1>(h), "amax<1>");
    check_agrees(amax(x), "amax of differing elements");
    check_agrees(sum<0>(x) + sum<1>(transpose(x)), "transposed sums");
    check_agrees(concatenate<1>(h, x), "concatenate<1>");
    check_agrees(reshape<5, 3>(h) * fixed_c<3>, "reshape * 3");
    check_agrees(quantize<fx<0, 3, 1>, Round::RND, Overflow::SAT>(h), "uniform quantize of differing");
    check_agrees(quantize<Q, Round::TRN, Overflow::WRAP>(x * x), "per-element quantize");
    STATIC_REQUIRE(width_v<decltype(x)> == 8);           // the widest element (kif{0,5,-2}: 3, kif{1,3,4}: 8)
    STATIC_REQUIRE(kif_v<decltype(x)> == kif{1, 5, 5});  // the hull's
}
