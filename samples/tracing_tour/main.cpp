// tracing_tour: the symbolic-tracing tour of the HGQ/da4ml tutorial, line for line in C++.
//
//   def operation(inp):
//       inp = quantize(inp, 1, 7, 0)
//       out1 = relu(inp)
//       out2 = inp[:, 1:3].transpose()
//       out2 = np.repeat(out2, 2, axis=0) * 3 + 4
//       out2 = np.amax(np.stack([out2, -out2 * 2], axis=0), axis=0)
//       out3 = quantize(out2 @ out1, 1, 10, 2)
//       out = einsum('ijk,ij->ik', w, out3)
//       return out
//   comb_trace(inp, operation(inp)); VerilogModel(..., latency_cutoff=5)
//
// Then: the exact ranges of every intermediate, pipelined Verilog, the Verilator check
// (random inputs and range corners) and the Yosys report.
//   tracing_tour [--quick] [--out DIR] [--latency CYCLES] [--cutoff LEVELS]
//   (--quick, used by CI: 200 random vectors instead of 5000, no synthesis)
// Exit code 0 only if every CHECK passed.
#include <random>

#include <CLI/CLI.hpp>

#include <fixvar/fixvar.hpp>

#include "../common/flow.hpp"

using namespace fixvar;

namespace {

void show(const char* name, const FixedVariableArray& a) {
    kif widest{0, -1000, -1000};
    for (const kif& q : a.formats()) {
        widest.k = std::max(widest.k, q.k);
        widest.i = std::max(widest.i, q.i);
        widest.f = std::max(widest.f, q.f);
    }
    fmt::print("  {:<5} shape {:<8} widest element format {}\n", name, to_string(a.shape()), to_string(widest));
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"tracing_tour: the symbolic-tracing tour of the HGQ/da4ml tutorial, in C++"};
    // The tutorial asked for latency_cutoff=5 (its own delay units) and got 5 cycles; here the
    // latency is asked for and the cut-off is the smallest that allows it (--cutoff sets one).
    samples::FlowOptions o{.pipeline = {.latency = 5}};
    samples::add_flow_options(app, o);
    CLI11_PARSE(app, argc, argv);
    samples::Steps steps(5);
    samples::Checks checks;

    steps.start("trace the tour");
    // w: a constant 3-index tensor (4, 5, 3) of small dyadic values from a fixed seed.
    std::mt19937 rng(2024);
    std::uniform_int_distribution<int> digit(-8, 8);
    std::vector<double> w_values;
    for (int j = 0; j < 4 * 5 * 3; ++j) w_values.push_back(digit(rng) / 4.0);
    FixedVariableArray w = constant(w_values, {4, 5, 3});

    FixedVariableArray inp = input({4, 5});  // no format: the first quantize defines it
    FixedVariableArray x = quantize(inp, kif{1, 7, 0});
    FixedVariableArray out1 = relu(x);
    FixedVariableArray out2 = transpose(slice(x, {Slice::all(), Slice{1, 3}}));
    out2 = repeat(out2, 2, 0) * 3 + 4;
    out2 = amax(stack({out2, -out2 * 2}, 0), 0);
    FixedVariableArray out3 = quantize(matmul(out2, out1), kif{1, 10, 2});
    FixedVariableArray result = einsum("ijk,ij->ik", w, out3);
    CombLogic logic = comb_trace({inp}, {result});
    show("out1", out1);
    show("out2", out2);
    show("out3", out3);
    show("out", result);
    steps.done(logic.summary());

    VerilogModel model = samples::write_pipelined(steps, logic, "tracing_tour", o.out / "tracing_tour", o.pipeline);

    samples::check_rtl(steps, checks, model, model.test_vectors(o.quick ? 200 : 5000, 7),
                       "vectors (range corners + random)", "vector");

    samples::prove_pipeline(steps, checks, model);

    samples::synthesis_step(steps, model, o.quick);
    fmt::print("\n{}", steps.table());
    return checks.all_passed() ? 0 : 1;
} catch (const fixvar::Error& e) {
    fmt::print(stderr, "tracing_tour: {}\n", e.what());
    return 2;
}
