#pragma once
// Rounding and overflow modes of quantize, with ap_fixed's names and meanings.
#include <string_view>

namespace fixvar {

/// How quantize rounds to the target step 2^-f.
enum class Round {
    TRN,          ///< toward -inf (drop bits)
    TRN_ZERO,     ///< toward zero
    RND,          ///< to nearest, half toward +inf
    RND_ZERO,     ///< to nearest, half toward zero
    RND_MIN_INF,  ///< to nearest, half toward -inf
    RND_INF,      ///< to nearest, half away from zero
    RND_CONV,     ///< to nearest, half to even
};

/// What quantize does with a value outside the target range.
enum class Overflow {
    WRAP,      ///< keep the low k+i+f bits (two's complement; modulo 2^(i+f) if unsigned)
    SAT,       ///< clamp to [min, max]
    SAT_SYM,   ///< clamp to [-max, max] when signed (so -2^i becomes -max)
    SAT_ZERO,  ///< out-of-range values become 0
};

inline constexpr Round all_rounds[] = {Round::TRN,         Round::TRN_ZERO, Round::RND,     Round::RND_ZERO,
                                       Round::RND_MIN_INF, Round::RND_INF,  Round::RND_CONV};
inline constexpr Overflow all_overflows[] = {Overflow::WRAP, Overflow::SAT, Overflow::SAT_SYM, Overflow::SAT_ZERO};

std::string_view to_string(Round r);
std::string_view to_string(Overflow o);
/// Inverse of to_string; throws Error on an unknown name.
Round parse_round(std::string_view name);
Overflow parse_overflow(std::string_view name);

}  // namespace fixvar
