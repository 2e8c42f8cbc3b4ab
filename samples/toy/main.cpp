// The toy demo: trace a small scalar circuit, print its exact ranges, a summary and predictions.
#include <cstdio>

#include <fixvar/fixvar.hpp>

int main() {
    using namespace fixvar;
    FixedVariable x = input(kif{1, 3, 2});  // x in [-8, 7.75], step 0.25
    FixedVariable y = input(kif{0, 4, 0});  // y in [0, 15]
    FixedVariable z = quantize(relu(x * 3 - y) + (x >> 1), kif{0, 5, 1}, Round::RND, Overflow::SAT);
    CombLogic logic = comb_trace({x, y}, {z});

    fmt::print("z: {} range [{}, {}] step {}\n", to_string(z.kif()), z.min(), z.max(), z.step());
    fmt::print("{}\n", logic.summary());
    for (auto& row : logic.predict({{1.25, 7.0}, {-8.0, 0.0}, {7.75, 0.0}})) fmt::print("z = {}\n", row[0]);
    fmt::print("\n{}", logic.dump());
}
