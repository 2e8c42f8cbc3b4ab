// The latency/area trade-off of saved models: each one combinational and pipelined to 1..N
// cycles (the smallest cut-off for each latency), synthesized with Yosys (xc7), one markdown row
// per design: LUT1-6, INV, CARRY4, FF, logic levels between registers, and the placement's
// register bits, lower bound and as-soon-as-possible count. Also times the placement of a
// generated graph of --placement-nodes nodes.
//
//   bench_latency_table out/digits_mlp/beta_1e-5/digits_mlp.txt out/jet_tagger/jet_tagger.txt
//       --max-latency 8 [--register-io] [--out bench-out/latency] [--jobs 2]
//
// Models are CombLogic text dumps (the samples write NAME.txt next to their RTL).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <random>

#include <fixvar/backend/pipeline.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/core/file.hpp>
#include <fixvar/fixvar.hpp>

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

struct Row {
    std::string model;
    backend::VerilogModule module;
    fs::path file;
};

/// A stand-in for a large network: layers of 4,000 nodes, each an addition, subtraction or
/// relu of nodes of the previous layer (or, one time in four, of earlier nodes of its own layer,
/// as in an adder tree), widths kept at 16 bits or less by truncating quantizers.
CombLogic generated_graph(int nodes, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    new_trace();
    std::vector<FixedVariable> v;
    for (int j = 0; j < 256; ++j) v.push_back(input(kif{1, 3, 4}));
    const std::size_t layer = 4000;
    std::size_t prev = 0, begin = 0, end = v.size();  // previous layer [prev, begin), current from begin
    while (int(v.size()) < nodes) {
        if (v.size() - end >= layer) prev = begin, begin = end, end = v.size();
        auto pick = [&] {
            bool own = rng() % 4 == 0 && v.size() > end;
            std::size_t lo = own ? end : prev, hi = own ? v.size() : end;
            return v[lo + rng() % (hi - lo)];
        };
        FixedVariable a = pick(), b = pick();
        int k = int(rng() % 10);
        FixedVariable r = k < 6 ? a + (b << int(rng() % 3)) : k < 8 ? a - b : relu(a);
        if (r.kif().width() > 16) r = quantize(r, kif{1, 8, 4}, Round::TRN, Overflow::WRAP);
        v.push_back(r);
    }
    // The whole last layer is output, so that nearly every node is live.
    return comb_trace(std::vector<FixedVariable>(v.begin(), v.begin() + 256),
                      std::vector<FixedVariable>(v.end() - long(layer), v.end()));
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"latency/area table of saved models (Yosys xc7), and placement time"};
    std::vector<std::string> models;
    int max_latency = 8, jobs = 2, placement_nodes = 100000;
    bool register_io = false;
    std::string out = "bench-out/latency";
    app.add_option("models", models, "CombLogic text dumps (NAME.txt)");
    app.add_option("--max-latency", max_latency, "pipelines of 1..N cycles");
    app.add_flag("--register-io", register_io, "registered inputs and outputs (da4ml's convention)");
    app.add_option("--out", out, "directory for the RTL and Yosys runs");
    app.add_option("--jobs", jobs, "Yosys runs at a time");
    app.add_option("--placement-nodes", placement_nodes, "size of the generated graph timed (0: skip)");
    CLI11_PARSE(app, argc, argv);

    if (placement_nodes > 0) {
        CombLogic big = generated_graph(placement_nodes, 7);
        for (PipelineOptions o : {PipelineOptions{.latency_cutoff = 6}, PipelineOptions{.latency = 8}}) {
            auto t0 = std::chrono::steady_clock::now();
            Pipeline p = plan_pipeline(big.graph(), o);
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            fmt::print(
                "placement of a generated graph of {} nodes: latency {}, cut-off {:.2f}: {} register bits "
                "(bound {}, as soon as possible {}) in {:.2f} s\n",
                big.graph().size(), p.latency, p.cutoff, p.register_bits, p.register_bits_lower_bound,
                p.register_bits_asap, s);
        }
    }
    std::vector<Row> rows;
    for (const std::string& m : models) {
        CombLogic logic = CombLogic::parse(read_file(m, "latency_table"));
        std::string stem = fs::path(m).stem().string();
        for (int L = register_io ? 2 : 0; L <= max_latency; ++L) {
            VerilogOptions o{.latency = L, .register_inputs = register_io, .register_outputs = register_io};
            std::string name = fmt::format("{}_l{}", stem, L);
            fs::path file = fs::path(out) / stem / (name + ".v");
            rows.push_back({stem, backend::write_verilog(logic, file, o, name), file});
        }
    }
    std::vector<fs::path> files;
    for (const Row& r : rows) files.push_back(r.file);
    SynthOptions so;
    std::vector<SynthReport> synth = backend::synthesize_all(files, so, jobs);
    // SRL: register chains Yosys mapped to shift registers (LUTs holding up to 16 bits of one
    // chain), so those bits are not among the FFs.
    fmt::print(
        "| model | latency | cut-off | LUT1-6 | INV | CARRY4 | FF | SRL | levels | register bits | lower bound | "
        "ASAP bits |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (std::size_t j = 0; j < rows.size(); ++j) {
        const Pipeline& p = rows[j].module.pipeline;
        const SynthReport& y = synth[j];
        long inv = y.luts_by_size.count("INV") ? y.luts_by_size.at("INV") : 0;
        long srl = 0;
        for (const auto& [type, n] : y.cells_by_type) srl += type.rfind("SRL", 0) == 0 ? n : 0;
        fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", rows[j].model,
                   p.clocked ? std::to_string(p.latency) : "comb.",
                   p.cutoff > 0 ? fmt::format("{:.2f}", p.cutoff) : "-", y.lut - inv, inv, y.carry, y.ff, srl,
                   y.logic_levels, p.register_bits, p.register_bits_lower_bound, p.register_bits_asap);
    }
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "bench_latency_table: {}\n", e.what());
    return 2;
}
