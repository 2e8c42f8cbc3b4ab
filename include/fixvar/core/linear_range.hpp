#pragma once
// Linear forms k + sum_j c_j * a_j over atoms a_j, and their exact range.
//
// Interval addition forgets where its operands come from: z0 = 1.5 h0 and z1 = -2 h0 + 0.125 h1
// summed as intervals count h0 twice. A linear form keeps the coefficient of each atom, so
// z0 + z1 is -0.5 h0 + 0.125 h1, whose range is exact when the atoms are independent (and
// sound whatever they are: each atom stays within its own range).
//
// Range rule (exact over independent atoms):
//   lo = k + sum_j min(c_j lo_j, c_j hi_j),  hi = k + sum_j max(c_j lo_j, c_j hi_j),
//   grid = the finest of the terms' grids (exp(c_j) + exp(a_j)) and k's.
//
// Budget rule (the tracer and the compile-time layer apply the same one): a form holds at
// most linear_form_term_budget atoms (the constant k is not counted). When an op's combined
// form would hold more, its result becomes a new atom, {result: 1}, whose range is the op's
// interval rule over its operands' ranges. Otherwise the result's range is the interval rule's
// range met with linear_range(form) (range_meet: on the interval rule's grid), which is
// linear_range(form) itself re-expressed on that grid.
//
// Everything is constexpr (the compile-time layer combines forms while a model compiles):
// forms are spans of LinearTerm sorted by atom, with no zero coefficient. Arithmetic is
// checked: a coefficient or bound past 127 bits is an Error, as in the other core rules.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/range.hpp>

namespace fixvar {

/// Atom id of the number 1: its term is the form's constant offset k (sorted last).
inline constexpr std::uint32_t linear_constant_atom = 0xffffffffu;

/// Most atoms a form holds before its node becomes a new atom. 64 keeps a sum over the outputs
/// of a matmul with 64 inputs exact (16 does not) at 2x the tracing time of the worst case, a
/// running sum over thousands of distinct inputs (256: 6.5x); docs/architecture.md has the
/// measurements (bench/linear_forms.cpp).
inline constexpr std::size_t linear_form_term_budget = 64;

/// coefficient * atom, the coefficient mant * 2^exp normalized (mant odd, never 0).
struct LinearTerm {
    i128 mant = 0;
    int exp = 0;
    std::uint32_t atom = 0;
    friend constexpr bool operator==(const LinearTerm&, const LinearTerm&) = default;
};

/// m * 2^e * atom, normalized; mant 0 when m is 0 (a term to drop).
constexpr LinearTerm linear_term(std::uint32_t atom, i128 m, int e) {
    if (m == 0) return LinearTerm{0, 0, atom};
    ExactRange c = ExactRange::constant(m, e);  // strips trailing zeros, checks the exponent
    return LinearTerm{c.lo, c.exp, atom};
}

/// t scaled by the dyadic s (checked).
constexpr LinearTerm scaled_term(const LinearTerm& t, const Dyadic& s) {
    int e = t.exp + s.exp;
    if ((s.mant == 1 || s.mant == -1) && e >= -max_exponent && e <= max_exponent)
        return LinearTerm{s.mant == 1 ? t.mant : -t.mant, e, t.atom};  // still normalized
    return linear_term(t.atom, checked_mul(t.mant, s.mant, "linear form"), e);
}

/// Number of atoms in a form (its terms without the constant).
constexpr std::size_t linear_atom_count(std::span<const LinearTerm> form) {
    bool k = !form.empty() && form.back().atom == linear_constant_atom;
    return form.size() - (k ? 1 : 0);
}

/// a * sa + b * sb into out (room for a.size() + b.size() terms): sorted, zero coefficients
/// dropped. Returns the number of terms written; *shared (if given) tells whether an atom
/// occurs in both (only then can the sum be narrower than the interval sum of the two).
constexpr std::size_t combine_linear_forms(std::span<const LinearTerm> a, const Dyadic& sa,
                                           std::span<const LinearTerm> b, const Dyadic& sb, LinearTerm* out,
                                           bool* shared = nullptr) {
    std::size_t i = 0, j = 0, n = 0;
    bool both = false;
    auto push = [&](const LinearTerm& t) {
        if (t.mant != 0) out[n++] = t;
    };
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].atom < b[j].atom)) {
            push(scaled_term(a[i++], sa));
        } else if (i == a.size() || b[j].atom < a[i].atom) {
            push(scaled_term(b[j++], sb));
        } else {  // the same atom: add the coefficients exactly
            LinearTerm x = scaled_term(a[i++], sa), y = scaled_term(b[j++], sb);
            ExactRange s = range_add(ExactRange::constant(x.mant, x.exp), ExactRange::constant(y.mant, y.exp), false);
            push(linear_term(x.atom, s.lo, s.exp));
            both = both || x.atom != linear_constant_atom;
        }
    }
    if (shared) *shared = both;
    return n;
}

/// Brings any list of terms into canonical form in place: sorted by atom, the coefficients of
/// each atom added exactly, zero coefficients dropped. Returns the new size (a prefix);
/// *shared (if given) tells whether an atom occurred more than once.
constexpr std::size_t canonicalize_linear_form(std::span<LinearTerm> terms, bool* shared = nullptr) {
    std::sort(terms.begin(), terms.end(), [](const LinearTerm& x, const LinearTerm& y) { return x.atom < y.atom; });
    std::size_t n = 0;
    bool repeated = false;
    for (std::size_t j = 0; j < terms.size();) {
        LinearTerm t = terms[j++];
        ExactRange c = ExactRange::constant(t.mant, t.exp);
        for (; j < terms.size() && terms[j].atom == t.atom; ++j) {
            c = range_add(c, ExactRange::constant(terms[j].mant, terms[j].exp), false);
            repeated = repeated || t.atom != linear_constant_atom;
        }
        LinearTerm sum = linear_term(t.atom, c.lo, c.exp);
        if (sum.mant != 0) terms[n++] = sum;
    }
    if (shared) *shared = repeated;
    return n;
}

/// The exact range of `form` over independent atoms, atom a taking the values range_of(a)
/// (the rule in the header comment). The empty form is the constant 0.
template <typename RangeOf>
constexpr ExactRange linear_range(std::span<const LinearTerm> form, RangeOf&& range_of) {
    ExactRange acc{};
    for (const LinearTerm& t : form) {
        ExactRange c = ExactRange::constant(t.mant, t.exp);
        acc = range_add(acc, t.atom == linear_constant_atom ? c : range_mul(c, range_of(t.atom)), false);
    }
    return acc;
}

}  // namespace fixvar
