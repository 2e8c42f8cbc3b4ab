// Traces a tiny circuit with an installed fixvar and checks one prediction; uses weights that
// fixvar_embed_weights generated from w.npy / w_f.npy at build time.
#include <cstdio>

#include <fixvar/fixvar.hpp>
#include <fixvar/static.hpp>

#include "consumer_weights.hpp"

int main() {
    using namespace fixvar;
    FixedVariable x = input(kif{1, 3, 2});
    FixedVariable y = quantize(x * 3 + 1, kif{1, 6, 0}, Round::RND, Overflow::SAT);
    CombLogic logic = comb_trace({x}, {y});
    double got = logic.predict({{1.25}})[0][0];  // 3.75 + 1 = 4.75 -> 5
    std::printf("consumer: y(1.25) = %g\n", got);
    static_assert(trained::w.values[1].mant == -5 && trained::w.values[1].exp == -2);  // -1.25
    return got == 5.0 ? 0 : 1;
}
