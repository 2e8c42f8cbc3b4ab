// The shape rules both layers apply (core/shape_rules.hpp), at compile time and at run time.
#include <catch2/catch.hpp>

#include <array>

#include <fixvar/core/shape_rules.hpp>

using namespace fixvar;

namespace {
template <std::size_t R>
constexpr std::array<std::int64_t, R> broadcast(std::span<const std::int64_t> a, std::span<const std::int64_t> b) {
    std::array<std::int64_t, R> out{};
    if (broadcast_into(a, b, out).found) out.fill(-1);
    return out;
}
constexpr std::array<std::int64_t, 3> a413{4, 1, 3};
constexpr std::array<std::int64_t, 2> a51{5, 1}, a45{4, 5};
constexpr std::array<std::int64_t, 1> a3{3};
constexpr std::array<std::int64_t, 0> scalar{};
}  // namespace

// Constant evaluation: the static layer's use.
static_assert(broadcast<3>(a413, a51) == std::array<std::int64_t, 3>{4, 5, 3});
static_assert(broadcast<2>(a45, scalar) == a45);
static_assert(broadcast_dim(4, 3) == -1 && broadcast_dim(1, 3) == 3 && broadcast_dim(3, 1) == 3);
static_assert(einsum_term("ij").letters == 2 && !einsum_term("ij").has_ellipsis);
static_assert(einsum_term("...j").has_ellipsis && einsum_term("...j").letters == 1);
static_assert(einsum_input_term("ij,jk,k", 1) == "jk" && einsum_term_count("ij,jk,k") == 3);

TEST_CASE("broadcast_into names the first conflicting axis of the result", "[core][shape]") {
    std::array<std::int64_t, 2> out{};
    BroadcastConflict c = broadcast_into(a45, a3, out);
    CHECK(c.found);
    CHECK(c.axis == 1);
    CHECK(c.a == 5);
    CHECK(c.b == 3);
    CHECK_FALSE(broadcast_into(a51, a3, out).found);
    CHECK(out == std::array<std::int64_t, 2>{5, 3});
}

TEST_CASE("einsum spec rules: sides, terms, output letters", "[core][shape][einsum]") {
    CHECK(einsum_sides("ij->j->i").error == EinsumSyntax::two_arrows);
    CHECK_FALSE(einsum_sides("ij,jk").explicit_output);
    CHECK(einsum_sides("ij,jk->ik").output == "ik");
    CHECK(einsum_term("i..j").error == EinsumSyntax::stray_dot);
    CHECK(einsum_term("......").error == EinsumSyntax::stray_dot);
    EinsumTerm bad = einsum_term("ij#");
    CHECK(bad.error == EinsumSyntax::invalid_char);
    CHECK(bad.bad == '#');
    CHECK(einsum_term_fits_rank(einsum_term("...j"), 3));
    CHECK_FALSE(einsum_term_fits_rank(einsum_term("ij"), 3));
    CHECK(einsum_check_output("ij,jk", "iz").problem == EinsumOutputLetter::not_in_inputs);
    CHECK(einsum_check_output("ij", "ii").problem == EinsumOutputLetter::repeated);
    CHECK(einsum_check_output("ij,jk", "ik").problem == EinsumOutputLetter::none);
}

TEST_CASE("reshape_into infers one -1 and names the first problem", "[core][shape]") {
    std::array<std::int64_t, 2> out{};
    CHECK(reshape_into(std::array<std::int64_t, 2>{2, -1}, 20, out).problem == ReshapeProblem::none);
    CHECK(out == std::array<std::int64_t, 2>{2, 10});
    CHECK(reshape_into(std::array<std::int64_t, 2>{-1, -1}, 20, out).problem == ReshapeProblem::two_inferred);
    ReshapeResult neg = reshape_into(std::array<std::int64_t, 2>{4, -2}, 20, out);
    CHECK(neg.problem == ReshapeProblem::negative_dim);
    CHECK(neg.dim == 1);
    CHECK(reshape_into(std::array<std::int64_t, 2>{3, -1}, 20, out).problem == ReshapeProblem::not_divisible);
    ReshapeResult diff = reshape_into(std::array<std::int64_t, 2>{3, 7}, 20, out);
    CHECK(diff.problem == ReshapeProblem::size_differs);
    CHECK(diff.size == 21);
    CHECK(reshape_into(std::array<std::int64_t, 2>{std::int64_t(1) << 40, std::int64_t(1) << 40}, 20, out).problem ==
          ReshapeProblem::size_differs);
}

TEST_CASE("check_permutation: each axis once, negative axes from the end", "[core][shape]") {
    CHECK(check_permutation(std::array<std::int64_t, 3>{2, 0, 1}, 3).problem == PermutationProblem::none);
    CHECK(check_permutation(std::array<std::int64_t, 3>{-1, 0, 1}, 3).problem == PermutationProblem::none);
    CHECK(check_permutation(std::array<std::int64_t, 2>{0, 1}, 3).problem == PermutationProblem::wrong_count);
    PermutationCheck out = check_permutation(std::array<std::int64_t, 2>{0, 2}, 2);
    CHECK(out.problem == PermutationProblem::axis_out_of_range);
    CHECK(out.index == 1);
    CHECK(check_permutation(std::array<std::int64_t, 2>{1, -1}, 2).problem == PermutationProblem::repeated_axis);
}
