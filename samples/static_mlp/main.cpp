// A small MLP (8 -> 16 -> 8 -> 4) written with static types end to end: every layer's format
// and shape is computed while this file compiles (exact ranges from the weights below), a bit
// budget guards the logits, and the traced graph goes through the ordinary flow — interpreter
// predictions checked against exact arithmetic, Verilog, and a Verilator bit-exactness check.
#include <cmath>
#include <cstdio>
#include <random>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/static.hpp>

#include "../common/flow.hpp"

using namespace fixvar;

namespace {

// "Trained" weights: small dyadic values, ~30% zeros (written out, as a training run exports them).
constexpr weights<8, 16> W1{
    0.125,   3,       0,       1.25,    0,       -6.5,    -0.1875, 1,     5.5,    0,     0,       0,       0,
    -0.25,   0.625,   3,       -0.4375, 7,       -1.25,   -7.5,    -0.75, 0,      0,     0,       0,       -2.25,
    -0.875,  0.4375,  0.75,    -0.875,  0,       0.9375,  -3,      0,     0,      0,     -2.5,    -2.25,   -1.5,
    -4.5,    0,       1.25,    -3.75,   0,       2,       0,       0,     -1.875, -1.5,  0,       0,       -1.875,
    -0.25,   0,       -2.5,    -2,      -2.5,    -0.1875, -1,      0,     0,      -0.5,  0,       0.25,    0,
    0,       -3.25,   0,       6,       0,       -4.5,    0,       -4,    0,      0,     -5.5,    0.8125,  1.5,
    7,       -0.5,    -7.5,    1,       -6.5,    -2,      2,       1.75,  0.375,  0.75,  -0.9375, 0.25,    -7.5,
    0,       -0.4375, -0.1875, 5.5,     0.5,     -0.8125, 0,       -0.75, 0.375,  0,     0,       1.5,     1.125,
    -0.0625, -0.3125, -0.5625, 2.25,    -0.75,   -1.25,   0,       5.5,   1.875,  -0.75, 3.5,     -0.1875, 0.4375,
    5.5,     0,       0.75,    -3,      -0.1875, 0,       -1.75,   5,     -0.75,  0,     0.625};
constexpr weights<16> B1{-0.25, 2, -0.5, -1.75, -1.75, -2, 0, 0, 1.25, -2, -1.75, -1.25, -0.25, 0, -1.5, -1.5};
constexpr weights<16, 8> W2{1.5,     0,      -5,      1,       0,      0,      1.75,   2.5,     //
                            0,       0.5,    0,       2.5,     0.375,  1.25,   0,      5,       //
                            0,       -1.625, 1.25,    0,       -1.875, -0.875, -0.25,  -3.75,   //
                            -0.8125, -1.25,  3.5,     0.0625,  0,      -0.125, 0.5,    1.375,   //
                            -0.75,   -1.375, -0.5625, 0.5,     -7.5,   -1.5,   1.75,   0,       //
                            -0.125,  0,      -1.375,  0.6875,  -3,     -1.875, 0,      -7.5,    //
                            0,       0,      -0.625,  0,       0,      0.5,    0.4375, 0,       //
                            2.75,    3,      3,       0,       1.25,   -0.625, -2.25,  -4.5,    //
                            0,       0,      -0.4375, 0,       -0.5,   0,      5,      0,       //
                            -0.5,    0,      1.125,   1.5,     0,      0,      0.25,   0,       //
                            0,       0,      -3,      -0.6875, 0,      0,      -0.25,  0.5,     //
                            0,       3,      0,       1,       -2.25,  0,      -2.5,   0.4375,  //
                            -1.125,  -0.875, 2,       -0.75,   1.625,  2.25,   2,      0,       //
                            0,       0,      2.5,     0,       0.75,   0.375,  1,      0,       //
                            0.5625,  -7.5,   2,       0,       -3.5,   -7.5,   0,      0,       //
                            0.125,   1.5,    5,       3,       3.75,   -0.625, 2,      0};
constexpr weights<8> B2{-0.75, -0.25, 0.75, 1.75, 1.75, 0.75, -0.5, 0.5};
constexpr weights<8, 4> W3{0,    -0.75, 0,       -0.75,   //
                           0,    1.5,   -0.125,  0,       //
                           -1.5, 1,     0,       -0.125,  //
                           0,    -7,    0.5,     0,       //
                           -4,   0,     -3,      -1,      //
                           0,    0.375, -0.4375, 2,       //
                           2,    0,     0,       1.25,    //
                           0,    2,     2.25,    0};

using Input = sarray<fx<1, 2, 3>, 8>;  // [-4, 3.875] in steps of 1/8
using Hidden = fx<0, 3, 2>;            // activations [0, 7.75] in steps of 1/4

// The same network in plain exact arithmetic (every value is a small dyadic: doubles are exact).
std::vector<double> reference(const std::vector<double>& x) {
    // Biases as values, not a `const weights<N>*`: GCC 12 -O2 misread that as out of bounds.
    auto layer = [](const std::vector<double>& in, const auto& W, const std::vector<Dyadic>& bias, bool activate) {
        std::size_t n = in.size(), m = W.size / n;
        std::vector<double> out(m);
        for (std::size_t c = 0; c < m; ++c) {
            double s = bias.empty() ? 0.0 : bias[c].to_double();
            for (std::size_t r = 0; r < n; ++r) s += in[r] * W.values[r * m + c].dyadic().to_double();
            // relu, then quantize to Hidden with RND (half up) and SAT
            if (activate) s = std::clamp(std::floor(std::max(s, 0.0) * 4 + 0.5) / 4, 0.0, 7.75);
            out[c] = s;
        }
        return out;
    };
    auto h1 = layer(x, W1, B1.dyadics(), true);
    auto h2 = layer(h1, W2, B2.dyadics(), true);
    return layer(h2, W3, {}, false);
}

}  // namespace

int main() {
    auto x = Input::input();
    auto a1 = dense<W1, B1>(x);  // exact range from W1, B1 and x's format, computed at compile time
    auto h1 = quantize<Hidden, Round::RND, Overflow::SAT>(relu(a1));
    auto h2 = quantize<Hidden, Round::RND, Overflow::SAT>(relu(dense<W2, B2>(h1)));
    auto logits = require_width<14>(matmul<W3>(h2));  // the budget of the output port
    // require_width<12>(a1);  // does not compile: width_exceeds_budget<12, 15, fx<1, 7, 7, ...>>
    static_assert(width_v<decltype(a1)> == 15 && kif_v<decltype(logits)> == kif{1, 6, 6});
    static_assert(std::is_same_v<decltype(logits), sarray<format_t<decltype(logits)>, 4>>);

    CombLogic logic = comb_trace({x}, {logits});
    std::printf("static formats: layer 1 %s, hidden %s, logits %s (%d bits)\n", to_string(kif_v<decltype(a1)>).c_str(),
                to_string(kif_v<decltype(h1)>).c_str(), to_string(kif_v<decltype(logits)>).c_str(),
                width_v<decltype(logits)>);
    std::printf("%s\n", logic.summary().c_str());

    // Interpreter predictions against exact arithmetic on random inputs (fixed seed).
    const unsigned seed = 5;
    std::mt19937 rng(seed);
    std::vector<std::vector<double>> samples;
    for (int s = 0; s < 500; ++s) {
        std::vector<double> v;
        for (int j = 0; j < 8; ++j) v.push_back(std::ldexp(int(rng() % 64) - 32, -3));
        samples.push_back(v);
    }
    auto out = logic.predict(samples);
    int mismatches = 0;
    for (std::size_t s = 0; s < samples.size(); ++s)
        if (out[s] != reference(samples[s])) ++mismatches;
    samples::Checks checks;
    checks.require(mismatches == 0, fmt::format("interpreter == exact arithmetic on {} samples "
                                                "(seed {}): {} mismatches",
                                                samples.size(), seed, mismatches));

    VerilogModel rtl(logic, "static_mlp", "out/static_mlp");
    rtl.write();
    auto result = rtl.verify(rtl.test_vectors(1000, seed));
    checks.require(result.ok, "Verilator: " + result.message);
    std::printf("static_mlp: %s\n", checks.all_passed() ? "all checks passed" : "CHECK FAILED");
    return checks.all_passed() ? 0 : 1;
}
