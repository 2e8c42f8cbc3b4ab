#pragma once
// Compile-time weights: exact constants for dense / matmul / einsum, held in a constexpr object
// that the operations take by reference as a template argument:
//
//   static constexpr fixvar::weights<3, 2> W{1, -2, 0.375, "0.75", fixvar::ratio(3, 4), 0};
//   auto y = fixvar::matmul<W>(x);
//
// A weight is an integer, a double, a decimal string or a ratio. Values must be dyadic (m * 2^e):
// "0.1" or ratio(1, 3) are kept as written and rejected by the operation that uses them, with a
// static_assert naming the weight's index and value. As for traced constants, a double needing
// more than max_constant_bits significant bits (0.1 as a double: 52 bits) is rejected too.
#include <array>
#include <bit>
#include <concepts>
#include <cstdint>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/static/rules.hpp>
#include <fixvar/static/shape.hpp>
#include <fixvar/trace/variable.hpp>

namespace fixvar {

namespace detail {
// Reached only during constant evaluation of a bad weight: the compiler names this function.
inline void weight_is_not_a_finite_number_or_not_a_decimal() {}

constexpr i128 gcd(i128 a, i128 b) {
    if (a < 0) a = -a;
    while (b != 0) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}
}  // namespace detail

/// value = mant * 2^exp / odd (odd > 0 and odd; odd == 1 exactly when the value is dyadic).
struct weight {
    i128 mant = 0;
    int exp = 0;
    i128 odd = 1;
    /// Given as a double that needs more than max_constant_bits significant bits.
    bool wide_double = false;

    constexpr weight() = default;
    template <std::integral T>
    constexpr weight(T v) : mant(v) {  // NOLINT: weights are written as plain numbers
        normalize();
    }
    constexpr weight(double v) {  // NOLINT: exact (every finite double is dyadic)
        auto bits = std::bit_cast<std::uint64_t>(v);
        int e = int((bits >> 52) & 0x7ff);
        std::uint64_t frac = bits & ((std::uint64_t(1) << 52) - 1);
        if (e == 0x7ff) detail::weight_is_not_a_finite_number_or_not_a_decimal();
        i128 m = e == 0 ? i128(frac) : i128(frac | (std::uint64_t(1) << 52));
        mant = (bits >> 63) ? -m : m;
        exp = (e == 0 ? 1 : e) - 1075;
        normalize();
        wide_double = bit_length(rules::magnitude(mant)) > max_constant_bits;
    }
    /// Decimal text: [-]digits[.digits][e[-]digits].
    constexpr weight(const char* text) {  // NOLINT
        bool negative = *text == '-';
        if (*text == '-' || *text == '+') ++text;
        i128 num = 0, den = 1;
        bool digits = false, dot = false;
        for (; *text && *text != 'e' && *text != 'E'; ++text) {
            if (*text == '.' && !dot) {
                dot = true;
                continue;
            }
            if (*text < '0' || *text > '9') detail::weight_is_not_a_finite_number_or_not_a_decimal();
            num = num * 10 + (*text - '0');
            if (dot) den *= 10;
            digits = true;
        }
        if (!digits) detail::weight_is_not_a_finite_number_or_not_a_decimal();
        if (*text) {
            ++text;
            bool neg_exp = *text == '-';
            if (*text == '-' || *text == '+') ++text;
            int e = 0;
            for (; *text; ++text) {
                if (*text < '0' || *text > '9') detail::weight_is_not_a_finite_number_or_not_a_decimal();
                e = e * 10 + (*text - '0');
            }
            for (int j = 0; j < e; ++j) (neg_exp ? den : num) *= 10;
        }
        *this = of_ratio(negative ? -num : num, den);
    }

    /// num / den exactly (den != 0).
    static constexpr weight of_ratio(i128 num, i128 den) {
        if (den < 0) {
            num = -num;
            den = -den;
        }
        weight w;
        i128 g = detail::gcd(num, den);
        w.mant = num / g;
        den /= g;
        while (den % 2 == 0) {
            den /= 2;
            --w.exp;
        }
        w.odd = den;
        w.normalize();
        return w;
    }

    /// mant * 2^exp exactly (what `fixvar embed` writes for a trained weight).
    static constexpr weight of_dyadic(long long mant, int exp) {
        weight w;
        w.mant = mant;
        w.exp = exp;
        w.normalize();
        return w;
    }

    constexpr bool is_dyadic() const { return odd == 1; }
    /// Dyadic and, if given as a double, within max_constant_bits significant bits.
    constexpr bool is_accepted() const { return is_dyadic() && !wide_double; }
    constexpr bool is_zero() const { return mant == 0; }
    /// Numerator and denominator (for diagnostics; clamped to long long).
    constexpr long long numerator() const { return exp >= 0 && exp < 60 ? (long long)(mant << exp) : (long long)mant; }
    constexpr long long denominator() const { return exp < 0 && exp > -60 ? (long long)(odd << -exp) : (long long)odd; }
    Dyadic dyadic() const { return Dyadic::make(mant, exp); }

private:
    constexpr void normalize() {
        if (mant == 0) {
            exp = 0;
            return;
        }
        while (mant % 2 == 0) {
            mant /= 2;
            ++exp;
        }
    }
};

/// The weight num / den.
constexpr weight ratio(long long num, long long den) { return weight::of_ratio(num, den); }

/// An N-d array of compile-time weights (row-major).
template <std::size_t... D>
struct weights {
    using shape_type = static_shape<D...>;
    static constexpr std::size_t size = shape_type::size;
    std::array<weight, size> values;

    /// Index of the first weight that is not accepted (weight::is_accepted), or size.
    constexpr std::size_t first_rejected() const {
        for (std::size_t j = 0; j < size; ++j)
            if (!values[j].is_accepted()) return j;
        return size;
    }
    std::vector<Dyadic> dyadics() const {
        std::vector<Dyadic> v;
        for (const weight& w : values) v.push_back(w.dyadic());
        return v;
    }
};

}  // namespace fixvar
