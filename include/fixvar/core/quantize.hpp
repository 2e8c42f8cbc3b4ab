#pragma once
// Quantize: round m * 2^e to the step 2^-f of a kif, then handle overflow into its range.
// Rule: rounding is monotone, so the output range is the rounded input range, then
//   - fits the target:  unchanged (no saturation logic; the tight range is kept);
//   - SAT / SAT_SYM:    bounds clamped;
//   - SAT_ZERO:         the in-range part, plus 0;
//   - WRAP:             the wrapped interval if it does not wrap around, else the full format.
#include <string_view>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>

namespace fixvar {

/// Mantissa (at exponent -q.f) of quantize(m * 2^e) — the bit-exact definition.
i128 quantize_mantissa(i128 m, int e, const kif& q, Round round, Overflow overflow);

/// Round only: m * 2^e rounded to step 2^-f, saturated to +-2^124 (beyond any format) so that
/// callers can apply overflow handling safely.
i128 round_mantissa(i128 m, int e, int f, Round round);

/// A value quantized to a grid, for constants and data: v rounded to step 2^-f. Error naming
/// `what` if v is not finite or the result needs more than max_width bits.
Dyadic round_value(double v, int f, Round round, std::string_view what);
/// v rounded to q's step; Error naming `what` if the result lies outside q's range.
Dyadic quantize_value(double v, const kif& q, Round round, std::string_view what);

/// Output range of quantize (exact; see the rule above).
ExactRange quantize_range(const ExactRange& in, const kif& q, Round round, Overflow overflow);

/// True when quantize(x, q, round, overflow) is the identity on every value of `in`.
bool quantize_is_identity(const ExactRange& in, const kif& q, Round round, Overflow overflow);

}  // namespace fixvar
