// Every public core function raises fixvar::Error on bad arguments (one row per class of bad
// input; docs/errors.md lists them with their messages).
#include <limits>

#include <fixvar/core/csd.hpp>
#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/file.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/core/wide.hpp>

#include "bad_input_table.hpp"

using namespace fixvar;

TEST_CASE("core entry points reject bad arguments with an Error", "[core][errors]") {
    const i128 min128 = std::numeric_limits<i128>::min();
    test::check_bad_inputs({
        {"check_format: negative width",
         [] {
             check_format(kif{1, -300, 2}, "t");
         },
         "needs at least 1 bit"},
        {"check_format: k = 2",
         [] {
             check_format(kif{2, 3, 0}, "t");
         },
         "k (keep_negative) must be 0 or 1"},
        {"ap_fixed: W = 0", [] { ap_fixed(0, 0); }, "W must be at least 1"},
        {"parse_round: unknown", [] { parse_round("ROUND"); }, "unknown rounding mode 'ROUND'"},
        {"parse_overflow: unknown", [] { parse_overflow("x"); }, "unknown overflow mode 'x'"},
        {"quantize_mantissa: invalid format",
         [] {
             quantize_mantissa(5, 0, kif{0, -1000, 0}, Round::RND, Overflow::SAT);
         },
         "needs at least 1 bit"},
        {"round_mantissa: f far outside", [] { round_mantissa(5, 0, std::numeric_limits<int>::min(), Round::RND); },
         "outside +-2^28"},
        {"round_value: NaN", [] { round_value(std::numeric_limits<double>::quiet_NaN(), 2, Round::RND, "v"); },
         "not a finite number"},
        {"quantize_value: inf",
         [] {
             quantize_value(std::numeric_limits<double>::infinity(), kif{1, 3, 0}, Round::RND, "v");
         },
         "not a finite number"},
        {"range_shift: exponent overflow",
         [] {
             range_shift(ExactRange{1, 3, 5}, std::numeric_limits<int>::max());
         },
         "overflows"},
        {"range_mul: past 127 bits",
         [] {
             ExactRange r{-(i128(1) << 100), i128(1) << 100, 0};
             range_mul(r, r);
         },
         "quantize the operands to fewer bits"},
        {"range_add: exponents far apart",
         [] {
             range_add(ExactRange{1, 3, 1000000}, ExactRange{1, 3, -1000000}, false);
         },
         "exceeds 127-bit arithmetic"},
        {"checked_shl: negative shift", [] { checked_shl(1, -5, "x"); }, "negative shift -5"},
        {"checked_shl: past 127 bits", [] { checked_shl(1, 200, "x"); }, "shift by 200"},
        {"parse_i128: not a number", [] { parse_i128("12a", "x"); }, "expected an integer, got '12a'"},
        {"parse_i128: too large", [] { parse_i128(std::string(43, '9'), "x"); }, "too large"},
        {"exact_double: exponent", [] { exact_double(1, 100000); }, "outside the supported +-4096"},
        {"csd: -2^127", [=] { csd(min128); }, "-2^127 has no 128-bit signed-digit form"},
        {"csd_weight: -2^127", [=] { csd_weight(min128); }, "-2^127"},
        {"Dyadic::parse: not dyadic", [] { Dyadic::parse("0.1", "w"); }, "not a dyadic rational"},
        {"Dyadic::make: exponent", [] { Dyadic::make(3, std::numeric_limits<int>::max()); }, "outside the supported"},
        {"write_file: no directory", [] { write_file("/proc/nonexistent/x", "a"); }, "cannot create the file"},
        {"read_file: no such file", [] { read_file("/nonexistent.txt"); }, "no such file (check the path"},
        {"read_file: a directory", [] { read_file("/"); }, "is a directory, not a file"},
    });
}
