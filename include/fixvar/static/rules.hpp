#pragma once
// The exact range rules of the dynamic tracer, for the static layer's result formats. There
// is one implementation of each rule: the constexpr functions of core/range.hpp and
// core/quantize.hpp, which the tracer runs per node and the compiler runs here. This file only
// adds what the tracer's builder (ir/builder.cpp) does on top of the interval rules, for a
// uniform operand range:
//   - a result with a single value is a normalized constant (core `normalized`);
//   - an operand the ranges prove to be the answer of max/min is returned unchanged
//     (core `decided_extremum`: its own grid, not the aligned one).
// x + 0, relu/abs of a non-negative x and a quantize that fits need nothing extra: the core
// rules already return the operand's range unchanged. tests/static sweeps every op against
// the dynamic tracer.
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/core/wide.hpp>

namespace fixvar::rules {

/// An ExactRange as a template argument: every value is m * 2^exp with lo <= m <= hi.
/// A type of its own so that diagnostics name the static layer's range (`srange{...}`).
struct srange {
    i128 lo = 0;
    i128 hi = 0;
    int exp = 0;
    constexpr operator ExactRange() const { return ExactRange{lo, hi, exp}; }
    friend constexpr bool operator==(const srange&, const srange&) = default;
};

constexpr ExactRange to_exact(const srange& r) { return r; }
/// The range the tracer's node holds (single values are folded to normalized constants).
constexpr srange traced(const ExactRange& r) {
    ExactRange n = normalized(r);
    return srange{n.lo, n.hi, n.exp};
}

using fixvar::magnitude;

/// A format check for the static layer's readable static_asserts (core/kif.hpp's rule).
constexpr bool valid_format(int k, int i, int f) { return is_valid_format(kif{k, i, f}); }

/// ExactRange::of; an invalid format gives [0, 0], which its static_assert then reports.
constexpr srange of_format(int k, int i, int f) {
    return valid_format(k, i, f) ? traced(ExactRange::of(kif{k, i, f})) : srange{};
}

constexpr kif minimal_kif(const srange& r) { return to_exact(r).minimal_kif(); }

constexpr srange neg(const srange& a) { return traced(range_neg(a)); }
constexpr srange add(const srange& a, const srange& b, bool subtract = false) {
    return traced(range_add(a, b, subtract));
}
constexpr srange shift(const srange& a, int s) { return traced(range_shift(a, s)); }
/// A constant factor gives the same range (the builder tightens its shift-and-add terms to
/// exactly the corner products).
constexpr srange mul(const srange& a, const srange& b) { return traced(range_mul(a, b)); }
constexpr srange relu(const srange& a) { return traced(range_relu(a)); }
constexpr srange abs(const srange& a) { return traced(range_abs(a)); }

constexpr srange extremum(const srange& a, const srange& b, bool is_max) {
    switch (decided_extremum(a, b, is_max)) {
        case Extremum::first: return a;
        case Extremum::second: return b;
        case Extremum::undecided: break;
    }
    return traced(is_max ? range_max(a, b) : range_min(a, b));
}

/// range_hull: concatenation and per-column results (a hull is never folded).
constexpr srange hull(const srange& a, const srange& b) {
    ExactRange h = range_hull(a, b);
    return srange{h.lo, h.hi, h.exp};
}

constexpr bool contains(const srange& outer, const srange& o) { return to_exact(outer).contains(o); }

constexpr srange quantize(const srange& in, const kif& q, Round round, Overflow overflow) {
    return traced(quantize_range(in, q, round, overflow));
}

}  // namespace fixvar::rules
