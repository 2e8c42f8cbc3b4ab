// Verilog backend benchmark: emission time of a large graph, verilation + build time, and RTL
// simulation throughput (Verilator, one sample per clock) against the interpreter's, measured
// in the same process. Usage: bench_verilog [emit_nodes=100000] [sim_nodes=10000] [samples=100000]
#include <fmt/format.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/trace/context.hpp>
#include <fixvar/trace/variable.hpp>

using namespace fixvar;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A layered random network of about `nodes` nodes: constant products (shift-add), sums,
// quantizers with rounding/saturation, relu and max.
CombLogic network(std::size_t nodes, unsigned seed) {
    new_trace();
    std::srand(seed);
    std::vector<FixedVariable> in, cur;
    for (int j = 0; j < 32; ++j) in.push_back(input(kif{1, 3, 4}));
    cur = in;
    const double weights[] = {0.75, -1.375, 2.5, -0.3125, 1.0625, -3.25, 0.15625};
    while (current_trace()->graph().size() < nodes * 22 / 10) {  // ~55% survive dead-code removal
        std::vector<FixedVariable> next;
        for (std::size_t j = 0; j < cur.size(); ++j) {
            const FixedVariable& a = cur[std::size_t(std::rand()) % cur.size()];
            const FixedVariable& b = cur[std::size_t(std::rand()) % cur.size()];
            const FixedVariable& c = cur[std::size_t(std::rand()) % cur.size()];
            auto s = a * weights[std::rand() % 7] + b * weights[std::rand() % 7] - c;
            auto q = quantize(s, kif{1, 4, 4}, Round::RND, Overflow::SAT);
            next.push_back(j % 3 == 0 ? relu(q) : j % 3 == 1 ? max(q, a) : q);
        }
        cur = std::move(next);
    }
    return comb_trace(in, cur);
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t emit_nodes = argc > 1 ? std::size_t(std::atol(argv[1])) : 100000;
    std::size_t sim_nodes = argc > 2 ? std::size_t(std::atol(argv[2])) : 10000;
    std::size_t samples = argc > 3 ? std::size_t(std::atol(argv[3])) : 100000;

    CombLogic big = network(emit_nodes, 1);
    auto t0 = std::chrono::steady_clock::now();
    backend::VerilogModule comb = backend::emit_verilog(big, "big");
    double t_comb = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    backend::VerilogModule pipe = backend::emit_verilog(big, "big", {.latency_cutoff = 5});
    double t_pipe = seconds_since(t0);
    fmt::print(
        "emit: {} nodes -> {:.1f} MB Verilog in {:.3f} s combinational, {:.3f} s pipelined "
        "(latency {} cycles, {:.0f} nodes/s)\n",
        big.graph().size(), double(comb.text.size()) / 1e6, t_comb, t_pipe, pipe.latency,
        double(big.graph().size()) / t_comb);

    CombLogic mid = network(sim_nodes, 2);
    auto dir = std::filesystem::temp_directory_path() / "fixvar_bench_verilog";
    backend::VerilogModel model(mid, "mid", dir, {.latency_cutoff = 5});
    t0 = std::chrono::steady_clock::now();
    model.compile();
    fmt::print("verilate+build: {} nodes, latency {} cycles: {:.1f} s\n", mid.graph().size(), model.latency(),
               seconds_since(t0));

    backend::Vectors v = backend::random_vectors(mid, samples, 3);
    t0 = std::chrono::steady_clock::now();
    std::vector<i128> rtl = model.predict_mantissas(v);
    double t_sim = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    std::vector<i128> ref1 = mid.predict_mantissas(v.mantissas, v.batch, 1);
    double t_int1 = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    std::vector<i128> ref = mid.predict_mantissas(v.mantissas, v.batch, 0);
    double t_int = seconds_since(t0);
    fmt::print(
        "simulate {} samples: RTL {:.0f} samples/s (incl. hex I/O), interpreter {:.0f} samples/s "
        "(1 thread), {:.0f} samples/s (all threads); RTL/interpreter(1 thread) = {:.2f}\n",
        samples, double(samples) / t_sim, double(samples) / t_int1, double(samples) / t_int, t_int1 / t_sim);
    bool exact = rtl == ref && ref == ref1;
    fmt::print("interpreter 1 thread == all threads: {}\n", ref == ref1 ? "yes" : "NO");
    fmt::print("{}\n", backend::compare_outputs(mid, v, rtl, "RTL vs interpreter").message);
    return exact ? 0 : 1;
}
