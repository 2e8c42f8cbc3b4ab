#pragma once
// Quantize: round m * 2^e to the step 2^-f of a kif, then handle overflow into its range.
// Rule: rounding is monotone, so the output range is the rounded input range, then
//   - fits the target:  unchanged (no saturation logic; the tight range is kept);
//   - SAT / SAT_SYM:    bounds clamped;
//   - SAT_ZERO:         the in-range part, plus 0;
//   - WRAP:             the wrapped interval if it does not wrap around, else the full format.
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>

namespace fixvar {

/// Mantissa (at exponent -q.f) of quantize(m * 2^e) — the bit-exact definition.
i128 quantize_mantissa(i128 m, int e, const kif& q, Round round, Overflow overflow);

/// Round only: m * 2^e rounded to step 2^-f, saturated to +-2^124 (beyond any format) so that
/// callers can apply overflow handling safely.
i128 round_mantissa(i128 m, int e, int f, Round round);

/// Output range of quantize (exact; see the rule above).
ExactRange quantize_range(const ExactRange& in, const kif& q, Round round, Overflow overflow);

/// True when quantize(x, q, round, overflow) is the identity on every value of `in`.
bool quantize_is_identity(const ExactRange& in, const kif& q, Round round, Overflow overflow);

}  // namespace fixvar
