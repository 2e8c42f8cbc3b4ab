// A small quantized CNN + MLP written with FixedVariableArray: conv2d (im2col + einsum), max
// pooling, a dense layer written as an einsum, argmax. Prints the circuit summary and runs the
// bit-exact interpreter on two images.
#include <fmt/format.h>
#include <cstdio>

#include <fixvar/fixvar.hpp>

int main() {
    using namespace fixvar;
    // 8x8 grey image, unsigned 4-bit pixels in [0, 1).
    FixedVariableArray img = input({8, 8, 1}, kif{0, 0, 4});

    // 3x3 kernels, 2 filters: edge detectors (exact dyadic weights).
    FixedVariableArray k = constant({-1, 0, 1, -2, 0, 2, -1, 0, 1,   // filter 0: vertical edges
                                     -1, -2, -1, 0, 0, 0, 1, 2, 1},  // filter 1: horizontal edges
                                    {2, 3, 3, 1});
    k = transpose(k, {1, 2, 3, 0});                                                       // -> (kh, kw, c, filters)
    FixedVariableArray h = conv2d(img, k, constant({0.0, 0.0}), {1, 1}, Padding::Valid);  // (6, 6, 2)
    h = quantize(relu(h), kif{0, 2, 2}, Round::RND, Overflow::SAT);
    h = max_pool2d(h, {2, 2});                   // (3, 3, 2)
    FixedVariableArray flat = reshape(h, {-1});  // (18,)

    // Dense 18 -> 3 as an einsum, weights +-1/2 and 0.
    std::vector<double> w;
    for (int i = 0; i < 18; ++i)
        for (int o = 0; o < 3; ++o) w.push_back(((i * 7 + o * 3) % 5 - 2) * 0.5);
    FixedVariableArray logits = einsum("i,io->o", flat, constant(w, {18, 3}));
    FixedVariableArray cls = argmax(logits);

    CombLogic logic = comb_trace({img}, {logits, cls});
    fmt::print("{}\n", logic.summary());

    std::vector<double> vertical(64), horizontal(64);
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c) {
            vertical[std::size_t(r * 8 + c)] = c >= 4 ? 0.9375 : 0.0;
            horizontal[std::size_t(r * 8 + c)] = r >= 4 ? 0.9375 : 0.0;
        }
    auto out = logic.predict({vertical, horizontal});
    for (std::size_t s = 0; s < out.size(); ++s) {
        auto arrays = unflatten_outputs(logic, out[s]);
        fmt::print("image {}: logits", s);
        for (double v : arrays[0].values) fmt::print(" {:g}", v);
        fmt::print("  -> class {:g}\n", arrays[1].values[0]);
    }
}
