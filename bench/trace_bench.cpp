// Foundation benchmark: tracing throughput (nodes/s) on a ~1M-node graph, memory per node, and
// interpreter throughput (node evaluations/s) with 1 and 2 threads. Ratios are against
// baselines measured in the same run: the raw GraphBuilder (no FixedVariable handles) for
// tracing, one thread for the interpreter.
#include <fmt/format.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include <fixvar/fixvar.hpp>

using namespace fixvar;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long rss_kib() {
    std::ifstream f("/proc/self/status");
    std::string key;
    long v = 0;
    while (f >> key) {
        if (key == "VmRSS:") {
            f >> v;
            return v;
        }
    }
    return 0;
}

constexpr int n_inputs = 256;
constexpr std::size_t window = 256;  // operands come from recent values: a deep, live graph
constexpr double weights[] = {3, -5, 0.75, 7, -1.5, 11, 0.375, -13};

// One step of the synthetic network: a quantized weighted sum of two earlier values.
template <typename Pick, typename Step>
void grow(std::size_t target_nodes, Pick&& size, Step&& step) {
    while (size() < target_nodes) step();
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t target = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
    fmt::print("fixvar trace/interpreter benchmark: target {} nodes, seed 1\n", target);

    // Baseline: the raw builder (run after the front end, on a warmed-up allocator).
    double raw_seconds = 0;
    std::size_t raw_nodes = 0;
    auto run_raw = [&] {
        ir::GraphBuilder g;
        std::mt19937 rng(1);
        std::vector<ir::NodeId> vals;
        for (int j = 0; j < n_inputs; ++j) vals.push_back(g.input(kif{1, 7, 0}));
        auto t0 = Clock::now();
        grow(
            target, [&] { return g.graph().size(); },
            [&] {
                ir::NodeId a = vals[vals.size() - 1 - rng() % window], b = vals[vals.size() - 1 - rng() % window];
                ir::NodeId s = g.add(g.mul_const(a, Dyadic::from_double(weights[rng() % 8])),
                                     g.mul_const(b, Dyadic::from_double(weights[rng() % 8])));
                vals.push_back(g.quantize(g.relu(s), kif{0, 7, 0}, Round::RND, Overflow::SAT));
            });
        raw_seconds = seconds_since(t0);
        raw_nodes = g.graph().size();
    };

    // The user-facing front end.
    long rss0 = rss_kib();
    new_trace();
    std::mt19937 rng(1);
    std::vector<FixedVariable> ins, vals;
    for (int j = 0; j < n_inputs; ++j) ins.push_back(input(kif{1, 7, 0}));
    vals = ins;
    auto t0 = Clock::now();
    const ir::Graph& graph = current_trace()->graph();
    grow(
        target, [&] { return graph.size(); },
        [&] {
            const FixedVariable& a = vals[vals.size() - 1 - rng() % window];
            const FixedVariable& b = vals[vals.size() - 1 - rng() % window];
            FixedVariable s = a * weights[rng() % 8] + b * weights[rng() % 8];
            vals.push_back(quantize(relu(s), kif{0, 7, 0}, Round::RND, Overflow::SAT));
        });
    double trace_seconds = seconds_since(t0);
    std::size_t nodes = graph.size();
    long rss1 = rss_kib();
    run_raw();
    fmt::print(
        "tracing: {} nodes in {:.3f} s = {:.2f} M nodes/s (raw builder {:.2f} M nodes/s, "
        "front-end/raw time ratio {:.2f})\n",
        nodes, trace_seconds, nodes / trace_seconds / 1e6, raw_nodes / raw_seconds / 1e6,
        (trace_seconds / nodes) / (raw_seconds / raw_nodes));
    fmt::print(
        "memory: {:.0f} bytes/node (RSS growth, incl. handles and hash index); "
        "sizeof(Node) = {}\n",
        (rss1 - rss0) * 1024.0 / nodes, sizeof(ir::Node));

    std::vector<FixedVariable> outs(vals.end() - n_inputs, vals.end());
    t0 = Clock::now();
    CombLogic logic = comb_trace(ins, outs);
    fmt::print("comb_trace (DCE): {} -> {} nodes in {:.3f} s\n", nodes, logic.graph().size(), seconds_since(t0));

    std::size_t batch = 256;
    std::vector<i128> in(batch * n_inputs);
    for (auto& m : in) m = i128(int(rng() % 256) - 128);
    double evals = double(logic.graph().size()) * double(batch);
    double t1 = 0, t2 = 0;
    for (int threads : {1, 2}) {
        auto t = Clock::now();
        auto out = logic.predict_mantissas(in, batch, threads);
        double s = seconds_since(t);
        (threads == 1 ? t1 : t2) = s;
        fmt::print("interpreter, {} thread(s): {} samples in {:.3f} s = {:.1f} M node-evals/s\n", threads, batch, s,
                   evals / s / 1e6);
    }
    fmt::print("interpreter speed-up 2 threads vs 1: {:.2f}x\n", t1 / t2);
}
