// The dynamic API (trace, a constant matmul through CMVM, Verilog text) with an installed fixvar
// and no Boost or range-v3: run.sh checks that none of their headers is read.
#include <cstdio>

#include <fixvar/fixvar.hpp>

int main() {
    using namespace fixvar;
    FixedVariableArray x = input({3}, kif{1, 3, 2});
    FixedVariableArray w = constant({1.0, 3.0, -2.0, 5.0, 7.0, 0.0}, {3, 2});
    FixedVariableArray y = matmul(x, w);
    CombLogic logic = comb_trace({x}, {y});
    double got = logic.predict({{1.0, 0.5, -0.25}})[0][1];  // 3 + 2.5 + 0 = 5.5
    VerilogModel rtl(logic, "dynamic", "dynamic_rtl");
    rtl.write();
    std::printf("dynamic consumer: y[1] = %g\n", got);
    return got == 5.5 ? 0 : 1;
}
