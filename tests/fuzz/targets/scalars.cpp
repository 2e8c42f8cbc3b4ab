// The small parsers of CLI arguments and file fields: the first byte picks one, the rest is
// its text; each value parsed prints back to a text that parses to the same value.
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/wide.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {
namespace {

template <typename Parse, typename Print>
int round_trip(std::string_view text, Parse parse, Print print, const char* what) {
    decltype(parse(text)) v;
    try {
        v = parse(text);
    } catch (const Error&) {
        return 0;
    }
    std::string back(print(v));
    if (!(parse(back) == v)) violated("{} '{}' printed as '{}' parses to another value", what, text, back);
    return 1;
}

}  // namespace

int fuzz_scalars(Input in) {
    if (in.empty()) return 0;
    std::string_view text = text_of(in.subspan(1));
    switch (in[0] % 6) {
        case 0:
            return round_trip(
                text, [](std::string_view t) { return Dyadic::parse(t); },
                [](const Dyadic& d) { return d.to_string(); }, "Dyadic");
        case 1:
            return round_trip(
                text, [](std::string_view t) { return parse_i128(t, "fuzz"); }, [](i128 v) { return to_string(v); },
                "i128");
        case 2:
            return round_trip(
                text, parse_round, [](Round r) { return to_string(r); }, "Round");
        case 3:
            return round_trip(
                text, parse_overflow, [](Overflow o) { return to_string(o); }, "Overflow");
        case 4:
            return round_trip(
                text, cmvm::parse_objective, [](cmvm::Objective o) { return cmvm::to_string(o); }, "Objective");
        default:
            return round_trip(
                text, cmvm::parse_algorithm, [](cmvm::Algorithm a) { return cmvm::to_string(a); }, "Algorithm");
    }
}

}  // namespace fixvar::fuzz
