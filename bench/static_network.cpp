// Compile-time cost of the static layer on a 16 -> 64 -> 32 -> 32 -> 5 network: every layer's
// exact output range (and, on the tracked input, linear form) is evaluated by the compiler from
// 4,256 weights. Measure the compile with (-DSTATIC_NETWORK_UNTRACKED: without forms)
//   /usr/bin/time -v g++ -std=gnu++20 -O2 -Iinclude -c bench/static_network.cpp
// (README: "Compile-time layer"); running it traces the network and prints the formats.
#include <cstdio>

#include <fixvar/static.hpp>

using namespace fixvar;

namespace {

// Deterministic HGQ-like weights (mantissas -15..15 over 2..16, ~30% zeros), made by the compiler.
template <std::size_t N, std::size_t M>
constexpr weights<N, M> generated(std::uint64_t seed) {
    weights<N, M> w{};
    std::uint64_t s = seed;
    for (weight& v : w.values) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        auto bits = s >> 33;
        if (bits % 10 < 3) continue;
        v = weight::of_ratio(i128(bits / 10 % 31) - 15, i128(2) << (bits / 310 % 4));
    }
    return w;
}

constexpr auto W1 = generated<16, 64>(1);
constexpr auto W2 = generated<64, 32>(2);
constexpr auto W3 = generated<32, 32>(3);
constexpr auto W4 = generated<32, 5>(4);
using Act = fx<0, 4, 2>;

}  // namespace

int main() {
#ifdef STATIC_NETWORK_UNTRACKED  // the input without linear forms (as before issue 21's forms)
    auto x = sarray<fx<1, 3, 3>, 16>::input();
#else  // tracked: every layer also composes its outputs' linear forms at compile time
    auto x = static_input<fx<1, 3, 3>, 16>();
#endif
    auto h1 = quantize<Act, Round::RND, Overflow::SAT>(relu(dense<W1>(x)));
    auto h2 = quantize<Act, Round::RND, Overflow::SAT>(relu(dense<W2>(h1)));
    auto h3 = quantize<Act, Round::RND, Overflow::SAT>(relu(dense<W3>(h2)));
    auto logits = dense<W4>(h3);
    std::printf("formats: %s %s %s, logits %s\n", to_string(kif_v<decltype(dense<W1>(x))>).c_str(),
                to_string(kif_v<decltype(dense<W2>(h1))>).c_str(), to_string(kif_v<decltype(dense<W3>(h2))>).c_str(),
                to_string(kif_v<decltype(logits)>).c_str());
    CombLogic logic = comb_trace({x}, {logits});
    std::printf("%s\n", logic.summary().c_str());
}
