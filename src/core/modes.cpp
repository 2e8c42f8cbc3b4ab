#include <fixvar/core/error.hpp>
#include <fixvar/core/modes.hpp>

namespace fixvar {

std::string_view to_string(Round r) {
    switch (r) {
        case Round::TRN: return "TRN";
        case Round::TRN_ZERO: return "TRN_ZERO";
        case Round::RND: return "RND";
        case Round::RND_ZERO: return "RND_ZERO";
        case Round::RND_MIN_INF: return "RND_MIN_INF";
        case Round::RND_INF: return "RND_INF";
        case Round::RND_CONV: return "RND_CONV";
    }
    return "?";
}

std::string_view to_string(Overflow o) {
    switch (o) {
        case Overflow::WRAP: return "WRAP";
        case Overflow::SAT: return "SAT";
        case Overflow::SAT_SYM: return "SAT_SYM";
        case Overflow::SAT_ZERO: return "SAT_ZERO";
    }
    return "?";
}

Round parse_round(std::string_view name) {
    for (Round r : all_rounds)
        if (to_string(r) == name) return r;
    fail("parse_round",
         "unknown rounding mode '{}' (expected TRN, TRN_ZERO, RND, RND_ZERO, "
         "RND_MIN_INF, RND_INF or RND_CONV)",
         name);
}

Overflow parse_overflow(std::string_view name) {
    for (Overflow o : all_overflows)
        if (to_string(o) == name) return o;
    fail("parse_overflow", "unknown overflow mode '{}' (expected WRAP, SAT, SAT_SYM or SAT_ZERO)", name);
}

}  // namespace fixvar
