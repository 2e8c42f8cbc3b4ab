// fixvar's side of the peer comparison (issue 18): one generated network (generate.py in this
// folder) traced, emitted combinational and pipelined, verified bit-exactly with Verilator and
// synthesized with Yosys (xc7), so that da4ml and alkaid can be measured on the same network
// with the same Yosys command (run.sh drives all three; docs/peers.md has the results).
//
//   bench_peer_networks --data bench/peer_networks/data/mlp_a [--out out/peer_networks]
//                       [--comb] [--cutoff X]... [--cycles N]... [--latency L]... [--register-io] [--synth]
//
// The network folder DATA holds x_test.npy, y_test.npy and the model folder DATA/NAME (NAME
// defaults to DATA's own name) in digits_mlp's format: input_{k,i,f}, then for each hidden layer
// j = 0, 1, ... w{j}, b{j} (+ their *_f grids) and a{j}_{k,i,f}, then w_out, b_out. The circuit:
//   x (input formats; the host quantizes RND, SAT) -> [dense -> relu -> quantize(a_j, TRN, SAT)]*
//   -> dense -> outputs: the logits and their argmax (as digits_mlp).
//
// Each design goes to OUT/NAME/<design>/NAME.v (+ NAME.json, vectors.in/out of the x_test run,
// which ../shared/peers/common/compare_fixvar.py reads), with <design> = comb, c<X> (latency
// cut-off X), cyc<n> (--cycles: the largest cut-off that gives n cycles), L<n> (latency n cycles at the smallest
// cut-off reaching it: needs the backend's VerilogOptions::latency) and L<n>_io (--register-io: inputs and outputs
// registered, da4ml's boundary convention: needs VerilogOptions::register_inputs/register_outputs).
//
// Checks per design: Verilator vs the interpreter on the x_test inputs and on corner + 1000
// random vectors (every output bit), and the interpreter's argmax vs y_test (generate.py's own
// numpy evaluation of the network). One machine-readable line per design:
//   RESULT net=N design=D latency=C cutoff=X register_io=0/1 lut16=.. inv=.. carry4=.. ff=..
//          muxf=.. levels=.. xtest_mismatches=.. random_mismatches=.. label_agreement=..
// also appended to OUT/NAME/results.tsv. Exit code 0 only if every check passed.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/fixvar.hpp>
#include <fixvar/io/npy.hpp>

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

// The backend's pipelining options grow (issue 18: a latency target and registered module
// boundaries); this program compiles against either version and says what it could not set.
template <class O>
constexpr bool has_latency_target = requires(O o) {
    o.latency = 3;
};
template <class O>
constexpr bool has_register_io = requires(O o) {
    o.register_inputs = true;
    o.register_outputs = true;
};

template <class O>
void set_latency(O& o, int cycles) {
    if constexpr (has_latency_target<O>)
        o.latency = cycles;
    else
        fail("bench_peer_networks", "--latency needs VerilogOptions::latency (not in this fixvar yet); use --cutoff");
}

template <class O>
void set_register_io(O& o, bool on) {
    if constexpr (has_register_io<O>) {
        o.register_inputs = on;
        o.register_outputs = on;
    } else if (on) {
        fail("bench_peer_networks",
             "--register-io needs VerilogOptions::register_inputs/register_outputs "
             "(not in this fixvar yet)");
    }
}

CombLogic trace_network(const fs::path& dir, std::size_t& hidden_layers) {
    auto weights = [&](const std::string& name) {
        return constant(load_npy(dir / (name + ".npy")), load_npy(dir / (name + "_f.npy")));
    };
    auto formats = [&](const std::string& name) {
        return format_array(load_npy(dir / (name + "_k.npy")), load_npy(dir / (name + "_i.npy")),
                            load_npy(dir / (name + "_f.npy")));
    };
    NpyArray input_f = load_npy(dir / "input_f.npy");
    FixedVariableArray x = input({std::int64_t(input_f.size())}, formats("input"));
    FixedVariableArray h = x;
    hidden_layers = 0;
    for (std::size_t j = 0; fs::exists(dir / fmt::format("w{}.npy", j)); ++j, ++hidden_layers) {
        std::string l = std::to_string(j);
        h = dense(h, weights("w" + l), weights("b" + l));
        h = quantize(relu(h), formats("a" + l), Round::TRN, Overflow::SAT);
    }
    FixedVariableArray logits = dense(h, weights("w_out"), weights("b_out"));
    return comb_trace({x}, {logits, argmax(logits)});
}

std::size_t mismatching_samples(VerilogModel& model, const backend::Vectors& v) {
    std::vector<i128> rtl = model.predict_mantissas(v);
    std::vector<i128> ref = model.logic().predict_mantissas(v.mantissas, v.batch);
    std::size_t n = model.logic().output_count(), bad = 0;
    for (std::size_t s = 0; s < v.batch; ++s)
        bad += !std::equal(rtl.begin() + std::ptrdiff_t(s * n), rtl.begin() + std::ptrdiff_t((s + 1) * n),
                           ref.begin() + std::ptrdiff_t(s * n));
    return bad;
}

// The largest latency cut-off at which the module takes exactly `cycles` cycles (current API:
// the latency falls as the cut-off grows); Error if no cut-off gives it.
double cutoff_for_cycles(const CombLogic& logic, const std::string& name, int cycles) {
    auto latency = [&](double c) {
        VerilogOptions o;
        o.latency_cutoff = c;
        return backend::emit_verilog(logic, name, o).latency;
    };
    double lo = 1e-3, hi = 1e4;  // latency(lo) >= cycles > latency(hi) (checked)
    if (latency(lo) < cycles || latency(hi) >= cycles)
        fail("bench_peer_networks", "no cut-off gives {} cycles", cycles);
    for (int it = 0; it < 60; ++it) {
        double mid = 0.5 * (lo + hi);
        (latency(mid) >= cycles ? lo : hi) = mid;
    }
    if (latency(lo) != cycles) fail("bench_peer_networks", "no cut-off gives exactly {} cycles", cycles);
    return lo;
}

struct Design {
    std::string tag;
    VerilogOptions options;
    bool register_io = false;
};

struct Args {
    std::string data, model_name, out = "out/peer_networks";
    bool comb = false, register_io = false, synth = false;
    std::vector<double> cutoffs;
    std::vector<int> latencies, cycles;
    std::size_t random = 1000;
    std::optional<int> depth_slack;
};

std::vector<Design> plan_designs(const CombLogic& logic, const std::string& name, const Args& a) {
    std::vector<Design> designs;
    if (a.comb) designs.push_back({"comb", {}, false});
    for (double c : a.latencies.empty() ? a.cutoffs : std::vector<double>{}) {
        VerilogOptions o;
        o.latency_cutoff = c;
        designs.push_back({fmt::format("c{:g}", c), o, false});
    }
    for (int l : a.cycles) {
        VerilogOptions o;
        o.latency_cutoff = cutoff_for_cycles(logic, name, l);
        designs.push_back({fmt::format("cyc{}", l), o, false});
    }
    // --latency with --cutoff: each latency at each cut-off too (the register/clock trade-off)
    for (int l : a.latencies) {
        std::vector<double> cuts{0.0};
        cuts.insert(cuts.end(), a.cutoffs.begin(), a.cutoffs.end());
        for (double c : cuts) {
            VerilogOptions o;
            set_latency(o, l);
            set_register_io(o, a.register_io);
            if (c > 0) o.latency_cutoff = c;
            std::string tag =
                fmt::format("L{}{}{}", l, c > 0 ? fmt::format("_c{:g}", c) : "", a.register_io ? "_io" : "");
            designs.push_back({tag, o, a.register_io});
        }
    }
    return designs;
}

// Writes one design, checks its RTL against the interpreter (random + corner vectors, then x_test,
// so that vectors.in/out are x_test's), synthesizes it if asked; one RESULT line. True if exact.
bool run_design(const CombLogic& logic, const std::string& name, const Design& d, const fs::path& out_dir,
                const Args& a, const std::vector<std::vector<double>>& samples, std::size_t agree, std::ofstream& tsv) {
    const QuantizeInputs host{Round::RND, Overflow::SAT};
    VerilogModel model(logic, name, out_dir / d.tag, d.options);
    model.write();
    backend::Vectors broad = model.test_vectors(a.random, 18);
    std::size_t bad_random = mismatching_samples(model, broad);
    std::size_t bad_x = mismatching_samples(model, backend::vectors_from_values(logic, samples, host));
    std::optional<SynthReport> r;
    if (a.synth) {
        SynthOptions so;
        so.progress = true;
        r = fixvar::synthesize(model, so);
        backend::write_synth_json(*r, model.dir() / "synth.json");
    }
    auto get = [&](const char* k) { return r && r->luts_by_size.count(k) ? r->luts_by_size.at(k) : 0L; };
    auto num = [&](long v) { return r ? std::to_string(v) : std::string("-"); };
    long inv = get("INV");
    std::string line = fmt::format(
        "net={} design={} latency={} cutoff={:g} register_io={} lut16={} inv={} carry4={} ff={} muxf={} "
        "levels={} xtest_mismatches={}/{} random_mismatches={}/{} label_agreement={}/{}",
        name, d.tag, model.latency(), d.options.latency_cutoff, int(d.register_io), num(r ? r->lut - inv : 0), num(inv),
        num(r ? r->carry : 0), num(r ? r->ff : 0), num(r ? r->muxf : 0), num(r ? r->logic_levels : 0), bad_x,
        samples.size(), bad_random, broad.batch, agree, samples.size());
    fmt::print("RESULT {}\n", line);
    std::fflush(stdout);
    tsv << line << '\n';
    return bad_x == 0 && bad_random == 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    CLI::App app{"fixvar on a generated peer-comparison network: RTL, Verilator check, Yosys"};
    app.add_option("--data", a.data, "network folder (x_test.npy, y_test.npy, NAME/)")->required();
    app.add_option("--model", a.model_name, "model folder inside --data (default: --data's name)");
    app.add_option("--out", a.out, "output root; designs go to OUT/NAME/<design>/");
    app.add_flag("--comb", a.comb, "the combinational design");
    app.add_option("--cutoff", a.cutoffs, "pipelined at this latency cut-off (levels per stage); repeatable");
    app.add_option("--cycles", a.cycles, "pipelined at the largest cut-off giving this many cycles; repeatable");
    app.add_option("--latency", a.latencies, "pipelined with this latency in cycles; repeatable (new API)");
    app.add_flag("--register-io", a.register_io,
                 "with --latency: register the module's inputs and outputs (da4ml's convention; new API)");
    app.add_flag("--synth", a.synth, "synthesize every design with Yosys (xc7), one at a time");
    app.add_option("--random", a.random, "random vectors (plus corners) in the RTL check");
    app.add_option("--depth-slack", a.depth_slack, "CMVM adder depth: at most the minimum plus this (default: free)");
    CLI11_PARSE(app, argc, argv);
    try {
        fs::path data_dir = fs::path(a.data);
        std::string name = a.model_name;
        if (name.empty()) name = fs::absolute(data_dir).lexically_normal().filename().string();
        if (name.empty()) name = fs::absolute(data_dir).lexically_normal().parent_path().filename().string();
        fs::path out_dir = fs::path(a.out) / name;
        backend::check_module_name(name);

        if (a.depth_slack) linear_options().cmvm.depth_slack = *a.depth_slack;
        std::size_t hidden = 0;
        CombLogic logic = trace_network(data_dir / name, hidden);
        fmt::print("{}: {} hidden layers; {}\n", name, hidden, logic.summary());
        NpyArray x = load_npy(data_dir / "x_test.npy"), y = load_npy(data_dir / "y_test.npy");
        std::vector<std::vector<double>> samples = sample_rows(x);
        auto pred = logic.predict(samples, QuantizeInputs{Round::RND, Overflow::SAT});
        std::size_t agree = 0, label = logic.output_count() - 1;
        for (std::size_t s = 0; s < samples.size(); ++s) agree += pred[s][label] == y.values[s];
        bool all_ok = agree == samples.size();
        fmt::print("interpreter argmax == generate.py's exact argmax on {}/{} samples\n", agree, samples.size());

        std::vector<Design> designs = plan_designs(logic, name, a);
        fs::create_directories(out_dir);
        std::ofstream(out_dir / (name + ".txt")) << logic.dump();  // for `fixvar verilog` sweeps
        std::ofstream tsv(out_dir / "results.tsv", std::ios::app);
        for (const Design& d : designs) all_ok = run_design(logic, name, d, out_dir, a, samples, agree, tsv) && all_ok;
        return all_ok ? 0 : 1;
    } catch (const Error& e) {
        fmt::print(stderr, "bench_peer_networks: {}\n", e.what());
        return 2;
    }
}
