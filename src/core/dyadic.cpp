#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/range.hpp>

#include <cctype>
#include <cmath>

namespace fixvar {

Dyadic Dyadic::make(i128 m, int e) {
    ExactRange r = ExactRange::constant(m, e);
    return Dyadic{r.lo, r.exp};
}

Dyadic Dyadic::from_double(double v, std::string_view what) {
    if (!std::isfinite(v))
        fail(what, "{} is not a finite number; constants must be finite", v);
    if (v == 0) return Dyadic{};
    int e = 0;
    double fr = std::frexp(v, &e);  // v = fr * 2^e, 0.5 <= |fr| < 1
    auto m = static_cast<long long>(std::ldexp(fr, 53));
    return make(m, e - 53);
}

Dyadic Dyadic::parse(std::string_view text, std::string_view what) {
    auto bad = [&](const char* why) -> Dyadic {
        fail(what, "'{}' is not a valid constant: {}", text, why);
    };
    std::size_t p = 0;
    bool neg = false;
    if (p < text.size() && (text[p] == '-' || text[p] == '+')) neg = text[p++] == '-';
    i128 n = 0;
    int dec = 0;  // value = n * 10^dec
    int digits = 0;
    bool dot = false;
    for (; p < text.size(); ++p) {
        char c = text[p];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        if (n > pow2(120)) return bad("too many digits");
        n = n * 10 + (c - '0');
        if (dot) --dec;
        ++digits;
    }
    if (digits == 0) return bad("expected a decimal number such as -0.375 or 12");
    if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
        std::string_view ex = text.substr(p + 1);
        if (ex.empty() || ex.size() > 5) return bad("malformed exponent");
        i128 x = parse_i128(ex, "exponent");
        dec += int(x);
        p = text.size();
    }
    if (p != text.size()) return bad("unexpected characters");
    if (neg) n = -n;
    if (n == 0) return Dyadic{};
    // n * 10^dec = n * 5^dec * 2^dec: dyadic iff 5^-dec divides n when dec < 0.
    for (; dec > 0; --dec) {
        if (n > pow2(120) || n < -pow2(120)) return bad("too large");
        n *= 10;
    }
    int e2 = 0;
    for (; dec < 0; ++dec) {
        if (n % 5 != 0)
            return bad("not a dyadic rational (a multiple of a power of two, like 0.375 = 3/8); "
                       "round it to a binary fraction first");
        n /= 5;
        --e2;
    }
    return make(n, e2);
}

double exact_double(i128 m, int e, std::string_view what) {
    Dyadic d = Dyadic::make(m, e);
    if (d.mant == 0) return 0.0;
    double v = std::ldexp(static_cast<double>(d.mant), d.exp);
    if (!std::isfinite(v) || v == 0 || !(Dyadic::from_double(v) == d))
        fail(what, "{} is not exactly representable as a double (use the exact mantissa API)",
             exact_decimal(m, e));
    return v;
}

double Dyadic::to_double() const { return exact_double(mant, exp); }

std::string exact_decimal(i128 m, int e) {
    Dyadic d = Dyadic::make(m, e);
    if (d.mant == 0) return "0";
    if (d.exp >= 0) {
        if (bit_length(d.mant < 0 ? u128(-d.mant) : u128(d.mant)) + d.exp <= 125)
            return to_string(d.mant * pow2(d.exp));
        return fmt::format("{}*2^{}", to_string(d.mant), d.exp);
    }
    // m / 2^k = m * 5^k / 10^k
    int k = -d.exp;
    i128 v = d.mant < 0 ? -d.mant : d.mant;
    for (int j = 0; j < k; ++j) {
        if (v > pow2(120)) return fmt::format("{}*2^{}", to_string(d.mant), d.exp);
        v *= 5;
    }
    std::string s = to_string(v);
    if (int(s.size()) <= k) s.insert(0, std::string(k - s.size() + 1, '0'));
    s.insert(s.size() - k, ".");
    return (d.mant < 0 ? "-" : "") + s;
}

std::string Dyadic::to_string() const { return exact_decimal(mant, exp); }

}  // namespace fixvar
