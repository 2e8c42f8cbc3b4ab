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
constexpr weights<2, 3, 4> W3{1, 0, -1, 2, 3,  -3, 1, 0, 0, 0, 2, 1,
                              2, 1, 1,  1, -4, 0,  0, 1, 1, 1, 1, -1};
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

