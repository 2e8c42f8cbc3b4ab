// The README's example, verbatim (built and run by ctest, so the README stays true).
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/fixvar.hpp>
using namespace fixvar;

int main() {
    FixedVariable x = input(kif{1, 3, 2});  // signed, 3 integer bits, 2 fractional: [-8, 7.75]
    FixedVariable y = input(kif{0, 4, 0});  // unsigned [0, 15]
    FixedVariable z = quantize(relu(x * 3 - y) + (x >> 1), kif{0, 5, 1}, Round::RND, Overflow::SAT);
    CombLogic logic = comb_trace({x, y}, {z});  // immutable, dead code removed
    fmt::print("z: {} in [{}, {}]\n", to_string(z.kif()), z.min(), z.max());
    fmt::print("{}\n", logic.summary());                   // nodes by op, cost, depth, latency
    auto out = logic.predict({{1.25, 7.0}, {7.75, 0.0}});  // bit-exact: {{0.5}, {27}}

    FixedVariableArray a = input({4, 5}, kif{1, 7, 0});  // numpy-like arrays of variables
    FixedVariableArray w =
        constant({1.0, -2.0, 0.5, 3.0, 0.0, 0.25, 1.0, 1.0, -1.0, 0.0, 2.0, 0.75, 1.0, 1.0, 1.0}, {5, 3});
    FixedVariableArray h = quantize(relu(matmul(a, w)), kif{0, 8, 0}, Round::RND, Overflow::SAT);
    CombLogic layer = comb_trace({a}, {h, argmax(einsum("ij,jk->ik", a, w)[0])});
    VerilogModel rtl(layer, "layer", "out/layer");                      // constant products went through CMVM
    rtl.write();                                                        // out/layer/layer.v + layer.json
    fmt::print("{}\n", rtl.verify(rtl.test_vectors(1000, 1)).message);  // Verilator, bit-exact
}
