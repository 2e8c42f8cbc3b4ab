#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/range.hpp>

#include <cctype>
#include <cmath>
#include <optional>
#include <cstdlib>
#include <vector>

namespace fixvar {

namespace {

// Decimal digits of a non-negative big number held as base-1e9 limbs (least significant first).
using Limbs = std::vector<std::uint32_t>;

void mul_add_small(Limbs& x, std::uint32_t k, std::uint32_t add) {
    std::uint64_t carry = add;
    for (auto& limb : x) {
        std::uint64_t v = std::uint64_t(limb) * k + carry;
        limb = std::uint32_t(v % 1000000000u);
        carry = v / 1000000000u;
    }
    while (carry) {
        x.push_back(std::uint32_t(carry % 1000000000u));
        carry /= 1000000000u;
    }
}

void mul_small(Limbs& x, std::uint32_t k) { mul_add_small(x, k, 0); }

// x /= k, returning the remainder.
std::uint32_t div_small(Limbs& x, std::uint32_t k) {
    std::uint64_t rem = 0;
    for (std::size_t j = x.size(); j-- > 0;) {
        std::uint64_t v = rem * 1000000000u + x[j];
        x[j] = std::uint32_t(v / k);
        rem = v % k;
    }
    while (x.size() > 1 && x.back() == 0) x.pop_back();
    return std::uint32_t(rem);
}

bool div_small_if_even(Limbs& x) {
    if (x[0] % 2 != 0) return false;
    div_small(x, 2);
    return true;
}

bool limbs_zero(const Limbs& x) { return x.size() == 1 && x[0] == 0; }

std::optional<u128> to_u128(const Limbs& x) {
    u128 v = 0;
    for (std::size_t j = x.size(); j-- > 0;) {
        if (v > (~u128(0) - x[j]) / 1000000000u) return std::nullopt;
        v = v * 1000000000u + x[j];
    }
    return v;
}

std::string limbs_text(const Limbs& x) {
    std::string s = fmt::format("{}", x.back());
    for (std::size_t j = x.size() - 1; j-- > 0;) s += fmt::format("{:09}", x[j]);
    return s;
}

Limbs to_limbs(u128 v) {
    Limbs x;
    do {
        x.push_back(std::uint32_t(v % 1000000000u));
        v /= 1000000000u;
    } while (v);
    return x;
}

}  // namespace

Dyadic Dyadic::make(i128 m, int e) {
    ExactRange r = ExactRange::constant(m, e);
    return Dyadic{r.lo, r.exp};
}

Dyadic Dyadic::from_double(double v, std::string_view what) {
    if (!std::isfinite(v)) fail(what, "{} is not a finite number; constants must be finite", v);
    if (v == 0) return Dyadic{};
    int e = 0;
    double fr = std::frexp(v, &e);  // v = fr * 2^e, 0.5 <= |fr| < 1
    auto m = static_cast<long long>(std::ldexp(fr, 53));
    return make(m, e - 53);
}

Dyadic Dyadic::parse(std::string_view text, std::string_view what) {
    auto bad = [&](const char* why) -> Dyadic { fail(what, "'{}' is not a valid constant: {}", text, why); };
    std::size_t p = 0;
    bool neg = false;
    if (p < text.size() && (text[p] == '-' || text[p] == '+')) neg = text[p++] == '-';
    Limbs n{0};  // value = n * 10^dec, n exact (any number of digits)
    long dec = 0;
    int digits = 0;
    bool dot = false;
    for (; p < text.size(); ++p) {
        char c = text[p];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        if (digits > 2000) return bad("too many digits");
        mul_add_small(n, 10, std::uint32_t(c - '0'));
        if (dot) --dec;
        ++digits;
    }
    if (digits == 0) return bad("expected a decimal number such as -0.375 or 12");
    if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
        std::string_view ex = text.substr(p + 1);
        if (ex.empty() || ex.size() > 5) return bad("malformed exponent");
        dec += long(parse_i128(ex, "exponent"));
        p = text.size();
    }
    if (p != text.size()) return bad("unexpected characters");
    if (limbs_zero(n)) return Dyadic{};
    // n * 10^dec = (n * 5^dec) * 2^dec: dyadic iff 5^-dec divides n when dec < 0.
    if (dec > 2 * max_exponent || dec < -2 * max_exponent) return bad("exponent out of range");
    for (long j = 0; j < dec; ++j) mul_add_small(n, 5, 0);
    for (long j = 0; j < -dec; ++j)
        if (div_small(n, 5) != 0)
            return bad(
                "not a dyadic rational (a multiple of a power of two, like 0.375 = 3/8); "
                "round it to a binary fraction first");
    long e2 = dec;
    while (div_small_if_even(n)) ++e2;
    std::optional<u128> mag = to_u128(n);
    if (!mag || bit_length(*mag) > 125) return bad("needs more than 125 significant bits");
    if (e2 > max_exponent || e2 < -max_exponent) return bad("exponent out of range");
    i128 m = i128(*mag);
    return make(neg ? -m : m, int(e2));
}

double exact_double(i128 m, int e, std::string_view what) {
    Dyadic d = Dyadic::make(m, e);
    if (d.mant == 0) return 0.0;
    double v = std::ldexp(static_cast<double>(d.mant), d.exp);
    if (!std::isfinite(v) || v == 0 || !(Dyadic::from_double(v) == d))
        fail(what, "{} is not exactly representable as a double (use the exact mantissa API)", exact_decimal(m, e));
    return v;
}

int Dyadic::significant_bits() const { return bit_length(magnitude(mant)); }

double Dyadic::to_double() const { return exact_double(mant, exp); }

std::string exact_decimal(i128 m, int e) {
    Dyadic d = Dyadic::make(m, e);
    if (d.mant == 0) return "0";
    Limbs x = to_limbs(magnitude(d.mant));
    // m * 2^e = m * 2^e exactly for e >= 0; m * 5^k / 10^k for e = -k < 0.
    for (int j = 0; j < std::abs(d.exp); ++j) mul_small(x, d.exp > 0 ? 2 : 5);
    std::string s = limbs_text(x);
    if (d.exp < 0) {
        std::size_t k = std::size_t(-d.exp);
        if (s.size() <= k) s.insert(0, std::string(k - s.size() + 1, '0'));
        s.insert(s.size() - k, ".");
    }
    if (d.mant < 0) s.insert(s.begin(), '-');
    return s;
}

std::string Dyadic::to_string() const { return exact_decimal(mant, exp); }

}  // namespace fixvar
