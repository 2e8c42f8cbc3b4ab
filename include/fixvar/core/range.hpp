#pragma once
// ExactRange: every value a signal can take is m * 2^exp with lo <= m <= hi (integers, never
// floats). `exp` is the coarsest step known to hold. The primitive interval rules live here;
// the per-op rules (which combine them) are documented with the ops in ir/op.hpp.
#include <string>

#include <fixvar/core/kif.hpp>
#include <fixvar/core/wide.hpp>

namespace fixvar {

struct ExactRange {
    i128 lo = 0;
    i128 hi = 0;
    int exp = 0;

    /// The full range of a format: [-k*2^(i+f), 2^(i+f)-1] at exp -f.
    static ExactRange of(const kif& q);
    /// A single value m * 2^e (normalized so m is odd, or 0 at exp 0).
    static ExactRange constant(i128 m, int e);

    bool is_constant() const { return lo == hi; }
    bool is_signed() const { return lo < 0; }
    /// Smallest format holding every value: k = (lo < 0), f = -exp, minimal i.
    /// The constant 0 has width 0 (kif{0, 0, 0}).
    kif minimal_kif() const;
    int width() const { return minimal_kif().width(); }
    /// The same set of values expressed at a finer-or-equal exponent e <= exp (checked).
    ExactRange at_exp(int e) const;
    /// Error naming `op` if the range needs more than max_width bits.
    const ExactRange& check(const char* op) const;
    bool contains(const ExactRange& other) const;

    friend bool operator==(const ExactRange&, const ExactRange&) = default;
};

std::string to_string(const ExactRange& r);

// Primitive interval rules (results are checked against max_width by the callers).
ExactRange range_add(const ExactRange& a, const ExactRange& b, bool subtract);
ExactRange range_neg(const ExactRange& a);
ExactRange range_shift(const ExactRange& a, int s);  ///< a * 2^s: exponent change only
ExactRange range_mul(const ExactRange& a, const ExactRange& b);
ExactRange range_hull(const ExactRange& a, const ExactRange& b);  ///< smallest range holding both
ExactRange range_max(const ExactRange& a, const ExactRange& b);
ExactRange range_min(const ExactRange& a, const ExactRange& b);
ExactRange range_abs(const ExactRange& a);
ExactRange range_relu(const ExactRange& a);
/// The values of `a` that also lie in `b`, on a's grid (b's bounds rounded inward onto it;
/// lo > hi when none do). Narrows a sound range by a proven fact about the same signal.
ExactRange range_meet(const ExactRange& a, const ExactRange& b);

}  // namespace fixvar
