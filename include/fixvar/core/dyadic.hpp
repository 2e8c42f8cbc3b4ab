#pragma once
// Exact dyadic rationals m * 2^e: every constant fixvar sees (doubles, decimal text) becomes one.
#include <string>
#include <string_view>

#include <fixvar/core/wide.hpp>

namespace fixvar {

struct Dyadic {
    i128 mant = 0;  ///< odd, or 0
    int exp = 0;    ///< 0 when mant == 0

    /// Normalizes m * 2^e (strips trailing zero bits of m).
    static Dyadic make(i128 m, int e);
    /// Exact conversion; NaN and infinities are an Error naming `what`.
    static Dyadic from_double(double v, std::string_view what = "constant");
    /// Exact decimal parse ("-0.375", "12", "1.5e-3" when dyadic); anything not dyadic or
    /// malformed is an Error naming `what`.
    static Dyadic parse(std::string_view text, std::string_view what = "constant");

    bool is_zero() const { return mant == 0; }
    /// Bits from the highest to the lowest set bit of |mant| (0.375 = 3/8: 2; 0.1 as a double: 52).
    int significant_bits() const;
    /// Exact double; Error if the value is not representable as a double.
    double to_double() const;
    std::string to_string() const;  ///< exact decimal text

    friend bool operator==(const Dyadic&, const Dyadic&) = default;
};

/// m * 2^e as a double, Error (naming `what`) if that is not exact.
double exact_double(i128 m, int e, std::string_view what = "value");
/// Exact decimal text of m * 2^e.
std::string exact_decimal(i128 m, int e);

}  // namespace fixvar
