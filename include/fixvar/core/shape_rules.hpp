#pragma once
// The shape rules shared by the tracer (trace/shape.hpp, trace/einsum.hpp: at run time, on
// Shape) and the compile-time layer (static/shape.hpp, static/linear.hpp: while a model
// compiles, on static_shape<D...>). Each rule is one constexpr function over spans of
// dimensions, so the two layers agree by construction, as the range rules do (core/range.hpp).
//
// Broadcasting (numpy): shapes are aligned on the right; two dimensions are compatible when
// equal or when one is 1; the result takes the larger. (4, 1, 3) with (5, 1) -> (4, 5, 3).
//
// Reshape (numpy): the new shape has the array's element count; one dimension may be -1, then
// inferred. (4, 5) -> (2, -1) gives (2, 10).
//
// Transpose (numpy): a permutation names each axis exactly once; a negative axis counts from the
// end. (4, 5, 6) with (2, 0, 1) -> (6, 4, 5).
//
// Einsum specs (numpy): "term,term,...[->term]" with spaces removed; a term is index letters
// (a-z, A-Z) with at most one ellipsis "..."; an explicit output names letters of the inputs,
// each at most once. "ij,jk->ik" is a matrix product. A term with an ellipsis names at least its
// letters' count of axes, one without exactly that many. (The static layer admits a subset:
// two terms, an explicit output, no ellipsis, no letter twice in a term.)
//
// A rule reports a violation as a value saying what and where; each layer words it once: the
// tracer as an Error naming the op and both shapes (src/trace/shape.cpp, src/trace/einsum.cpp),
// the static layer as one named static_assert (static/errors.hpp; a static_assert message must
// be a literal in C++20, so it states the rule rather than the dimensions, which the
// diagnostic's instantiation context shows).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace fixvar {

/// The broadcast of one aligned pair of dimensions, or -1 when they are incompatible.
constexpr std::int64_t broadcast_dim(std::int64_t a, std::int64_t b) {
    if (a == b || b == 1) return a;
    if (a == 1) return b;
    return -1;
}

/// Rank of the broadcast of shapes of ranks ra and rb.
constexpr std::size_t broadcast_rank(std::size_t ra, std::size_t rb) { return std::max(ra, rb); }

/// The first aligned pair of dimensions that does not broadcast (found == false: none).
struct BroadcastConflict {
    bool found = false;
    std::size_t axis = 0;  // axis of the result
    std::int64_t a = 0, b = 0;
};

/// Writes the broadcast shape of a and b into out (out.size() == broadcast_rank(a, b)), or
/// returns the first conflict (out is then partly written).
constexpr BroadcastConflict broadcast_into(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                                           std::span<std::int64_t> out) {
    std::size_t r = out.size();
    for (std::size_t j = 0; j < r; ++j) {
        std::int64_t da = j < r - a.size() ? 1 : a[j - (r - a.size())];
        std::int64_t db = j < r - b.size() ? 1 : b[j - (r - b.size())];
        out[j] = broadcast_dim(da, db);
        if (out[j] < 0) return BroadcastConflict{true, j, da, db};
    }
    return {};
}

// ---- reshape ------------------------------------------------------------------------------------

enum class ReshapeProblem { none, two_inferred, negative_dim, not_divisible, size_differs };

/// Writes the new shape `to` (-1 inferred) of an array of `size` elements into out
/// (out.size() == to.size()); the first problem, at dimension `dim` (negative_dim), otherwise.
struct ReshapeResult {
    ReshapeProblem problem = ReshapeProblem::none;
    std::size_t dim = 0;
    std::int64_t size = 0;  // the new shape's element count (size_differs; -1: past 2^63)
};
constexpr ReshapeResult reshape_into(std::span<const std::int64_t> to, std::int64_t size, std::span<std::int64_t> out) {
    std::size_t infer = to.size();
    std::int64_t known = 1;
    bool overflow = false;  // past 2^63 elements: a size no array has
    for (std::size_t d = 0; d < to.size(); ++d) out[d] = to[d];
    for (std::size_t d = 0; d < to.size(); ++d) {
        if (to[d] == -1) {
            if (infer < to.size()) return {ReshapeProblem::two_inferred, d, 0};
            infer = d;
        } else if (to[d] < 0) {
            return {ReshapeProblem::negative_dim, d, 0};
        } else {
            overflow = overflow || __builtin_mul_overflow(known, to[d], &known);
        }
    }
    if (overflow) return {ReshapeProblem::size_differs, 0, -1};
    if (infer < to.size()) {
        if (known == 0 || size % known != 0) return {ReshapeProblem::not_divisible, infer, 0};
        out[infer] = size / known;
        known = size;
    }
    if (known != size) return {ReshapeProblem::size_differs, 0, known};
    return {};
}

// ---- transpose ----------------------------------------------------------------------------------

enum class PermutationProblem { none, wrong_count, axis_out_of_range, repeated_axis };

/// Whether `perm` permutes the axes of a rank-`rank` array; the first problem and its position.
struct PermutationCheck {
    PermutationProblem problem = PermutationProblem::none;
    std::size_t index = 0;
};
constexpr PermutationCheck check_permutation(std::span<const std::int64_t> perm, std::size_t rank) {
    if (perm.size() != rank) return {PermutationProblem::wrong_count, 0};
    auto r = std::int64_t(rank);
    for (std::size_t j = 0; j < perm.size(); ++j)
        if (perm[j] < -r || perm[j] >= r) return {PermutationProblem::axis_out_of_range, j};
    for (std::size_t j = 0; j < perm.size(); ++j)
        for (std::size_t k = 0; k < j; ++k)
            if ((perm[j] + r) % r == (perm[k] + r) % r) return {PermutationProblem::repeated_axis, j};
    return {};
}

// ---- einsum specs ------------------------------------------------------------------------------

enum class EinsumSyntax { ok, two_arrows, stray_dot, invalid_char };

constexpr bool is_einsum_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// A spec (spaces removed) split at its arrow; error two_arrows if it has more than one.
struct EinsumSides {
    std::string_view inputs, output;
    bool explicit_output = false;
    EinsumSyntax error = EinsumSyntax::ok;
};
constexpr EinsumSides einsum_sides(std::string_view spec) {
    std::size_t arrow = spec.find("->");
    if (arrow == std::string_view::npos) return EinsumSides{spec, {}, false, EinsumSyntax::ok};
    EinsumSides s{spec.substr(0, arrow), spec.substr(arrow + 2), true, EinsumSyntax::ok};
    if (s.output.find("->") != std::string_view::npos) s.error = EinsumSyntax::two_arrows;
    return s;
}

/// Number of comma-separated terms of the inputs side, and the k-th of them.
constexpr std::size_t einsum_term_count(std::string_view inputs) {
    return std::size_t(std::count(inputs.begin(), inputs.end(), ',')) + 1;
}
constexpr std::string_view einsum_input_term(std::string_view inputs, std::size_t k) {
    for (; k > 0; --k) inputs.remove_prefix(inputs.find(',') + 1);
    return inputs.substr(0, inputs.find(','));
}

/// A term's syntax: its letter count and ellipsis, or the first error and its character.
struct EinsumTerm {
    std::size_t letters = 0;
    bool has_ellipsis = false;
    EinsumSyntax error = EinsumSyntax::ok;
    char bad = 0;
};
constexpr EinsumTerm einsum_term(std::string_view t) {
    EinsumTerm term;
    for (std::size_t j = 0; j < t.size(); ++j) {
        if (t[j] == '.') {
            if (t.substr(j, 3) != "..." || term.has_ellipsis) return {0, false, EinsumSyntax::stray_dot, '.'};
            term.has_ellipsis = true;
            j += 2;
        } else if (is_einsum_letter(t[j])) {
            ++term.letters;
        } else {
            return {0, false, EinsumSyntax::invalid_char, t[j]};
        }
    }
    return term;
}

/// Whether a term names the axes of an operand of rank `rank`.
constexpr bool einsum_term_fits_rank(const EinsumTerm& t, std::size_t rank) {
    return t.has_ellipsis ? t.letters <= rank : t.letters == rank;
}

/// The first letter of an explicit output that no input names or that it repeats.
struct EinsumOutputLetter {
    enum Problem { none, not_in_inputs, repeated } problem = none;
    char letter = 0;
};
constexpr EinsumOutputLetter einsum_check_output(std::string_view inputs, std::string_view output) {
    for (std::size_t j = 0; j < output.size(); ++j) {
        char c = output[j];
        if (!is_einsum_letter(c)) continue;
        if (inputs.find(c) == std::string_view::npos) return {EinsumOutputLetter::not_in_inputs, c};
        if (output.find(c, j + 1) != std::string_view::npos) return {EinsumOutputLetter::repeated, c};
    }
    return {};
}

}  // namespace fixvar
