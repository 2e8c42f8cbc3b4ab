#include <fixvar/core/csd.hpp>
#include <fixvar/core/error.hpp>

namespace fixvar {
namespace {

int popcount128(u128 v) {
    return __builtin_popcountll(std::uint64_t(v)) + __builtin_popcountll(std::uint64_t(v >> 64));
}

// Non-adjacent form of |v| (< 2^127): with h = v >> 1 and t = v + h, the digits sit where t
// and h differ; positive where t has the bit, negative where h has it.
void naf(u128 v, u128& plus, u128& minus) {
    if (v >> 127) fail("csd", "-2^127 has no 128-bit signed-digit form; values are limited to 127 bits");
    u128 h = v >> 1, t = v + h, c = t ^ h;
    plus = t & c;
    minus = h & c;
}

}  // namespace

std::vector<SignedDigit> csd(i128 v) {
    const int s = v < 0 ? -1 : 1;
    u128 plus, minus;
    naf(magnitude(v), plus, minus);
    std::vector<SignedDigit> out;
    for (int k = 0; plus | minus; ++k, plus >>= 1, minus >>= 1) {
        if (plus & 1)
            out.push_back({k, s});
        else if (minus & 1)
            out.push_back({k, -s});
    }
    return out;
}

int csd_weight(i128 v) {
    u128 plus, minus;
    naf(magnitude(v), plus, minus);
    return popcount128(plus | minus);
}

}  // namespace fixvar
