#include "flow.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fixvar/io/npy.hpp>
#include <fixvar/trace/weights.hpp>

namespace samples {

using namespace fixvar;

void add_flow_options(CLI::App& app, FlowOptions& o, const std::string& quick) {
    app.add_flag("--quick", o.quick, "CI: " + quick);
    app.add_option("--out", o.out, "directory for RTL and reports")->type_name("DIR")->capture_default_str();
    CLI::Option* latency = app.add_option("--latency", o.pipeline.latency, "pipeline latency")->type_name("CYCLES");
    if (o.pipeline.latency) latency->default_str(std::to_string(*o.pipeline.latency));
    app.add_option("--cutoff", o.pipeline.latency_cutoff,
                   "at most this many levels of estimated delay per stage (0: the smallest that "
                   "allows the latency)")
        ->type_name("LEVELS")
        ->capture_default_str();
    app.add_flag("--regroup-sums", o.pipeline.regroup_sums,
                 "sums cut by a register rank summed again by stage when that needs fewer register bits")
        ->capture_default_str();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void Steps::start(std::string what) {
    fmt::print("[{}/{}] {} ...\n", rows_.size() + 1, planned_, what);
    std::fflush(stdout);
    rows_.push_back({std::move(what), "", 0});
    t0_ = std::chrono::steady_clock::now();
}

void Steps::done(std::string result) {
    rows_.back().seconds = seconds_since(t0_);
    rows_.back().result = std::move(result);
    fmt::print("      {:.2f} s: {}\n", rows_.back().seconds, rows_.back().result);
    std::fflush(stdout);
}

double Steps::seconds(const std::string& what) const {
    for (const Row& r : rows_)
        if (r.what == what) return r.seconds;
    return 0;
}

std::string Steps::table() const {
    std::size_t width = 4;
    for (const Row& r : rows_) width = std::max(width, r.what.size());
    std::string out = fmt::format("{:<{}}  {:>8}  {}\n", "step", width, "seconds", "result");
    double total = 0;
    for (const Row& r : rows_) {
        out += fmt::format("{:<{}}  {:>8.2f}  {}\n", r.what, width, r.seconds, r.result);
        total += r.seconds;
    }
    return out + fmt::format("{:<{}}  {:>8.2f}\n", "total", width, total);
}

LabelledData load_labelled(const std::filesystem::path& x_npy, const std::filesystem::path& y_npy, std::size_t limit) {
    NpyArray x = load_npy(x_npy), y = load_npy(y_npy);
    if (x.shape.size() != 2 || y.shape.size() != 1 || x.shape[0] != y.shape[0])
        fail("samples", "{} must be N x features and {} N labels", x_npy.string(), y_npy.string());
    std::size_t n = limit ? std::min(limit, y.shape[0]) : y.shape[0];
    LabelledData data{sample_rows(x), {}};
    data.samples.resize(n);
    for (std::size_t s = 0; s < n; ++s) data.labels.push_back(int(y.values[s]));
    return data;
}

Recorded read_recorded(const std::filesystem::path& metrics_json) {
    std::ifstream in(metrics_json);
    if (!in) fail("samples", "cannot read {}; run tools/train_digits.py to create it", metrics_json.string());
    try {
        nlohmann::json j = nlohmann::json::parse(in);
        Recorded r;
        r.name = j.at("name");
        r.kind = j.at("kind");
        r.architecture = j.at("architecture").get<std::vector<int>>();
        r.beta = j.at("beta");
        r.accuracy_framework = j.at("accuracy_framework");
        r.accuracy_float = j.value("accuracy_float", -1.0);
        r.test_samples = j.at("test_samples");
        r.nonzero_weights = j.at("nonzero_weights");
        r.total_weights = j.at("total_weights");
        return r;
    } catch (const nlohmann::json::exception& e) {
        fail("samples", "{}: {}", metrics_json.string(), e.what());
    }
}

std::vector<Recorded> trained_models(const std::filesystem::path& data) {
    std::vector<Recorded> models;
    for (const auto& entry : std::filesystem::directory_iterator(data))
        if (std::filesystem::exists(entry.path() / "metrics.json"))
            models.push_back(read_recorded(entry.path() / "metrics.json"));
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.beta < b.beta; });
    return models;
}

std::string pareto_table(const std::vector<ParetoRow>& rows) {
    std::string t =
        "| model | beta | nonzero weights | accuracy (fixed) | adders | LUTs | FFs | latency "
        "(cycles) |\n"
        "|---|---|---|---|---|---|---|---|\n";
    for (const ParetoRow& r : rows)
        t +=
            fmt::format("| {} | {:g} | {}/{} | {:.4f} | {} | {} | {} | {} |\n", r.rec.name, r.rec.beta,
                        r.rec.nonzero_weights, r.rec.total_weights, r.accuracy_fixed, r.adders, r.lut, r.ff, r.latency);
    return t;
}

double float_mlp_accuracy(const std::filesystem::path& data, const LabelledData& test) {
    std::vector<NpyArray> w, b;
    for (int j = 0; std::filesystem::exists(data / fmt::format("float_w{}.npy", j)); ++j) {
        w.push_back(load_npy(data / fmt::format("float_w{}.npy", j)));
        b.push_back(load_npy(data / fmt::format("float_b{}.npy", j)));
    }
    std::vector<std::vector<double>> out;
    for (const auto& sample : test.samples) {
        std::vector<double> h = sample;
        for (std::size_t l = 0; l < w.size(); ++l) {
            std::size_t n = w[l].shape[0], m = w[l].shape[1];
            std::vector<double> y(b[l].values);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t o = 0; o < m; ++o) y[o] += h[i] * w[l].values[i * m + o];
            if (l + 1 < w.size())
                for (double& v : y) v = std::max(v, 0.0);
            h = y;
        }
        out.push_back({double(std::max_element(h.begin(), h.end()) - h.begin())});
    }
    return accuracy(out, 0, test.labels);
}

double accuracy(const std::vector<std::vector<double>>& outputs, std::size_t label_column,
                const std::vector<int>& labels) {
    std::size_t right = 0;
    for (std::size_t s = 0; s < outputs.size(); ++s) right += outputs[s][label_column] == labels[s];
    return outputs.empty() ? 0 : double(right) / double(outputs.size());
}

std::vector<std::vector<double>> first(const std::vector<std::vector<double>>& rows, std::size_t n) {
    return {rows.begin(), rows.begin() + std::ptrdiff_t(std::min(n, rows.size()))};
}

VerilogModel write_pipelined(Steps& steps, const CombLogic& logic, const std::string& name,
                             const std::filesystem::path& dir, const VerilogOptions& options) {
    steps.start("pipelined Verilog");
    VerilogModel model(logic, name, dir, options);
    model.write();
    save_graph(model);
    steps.done(fmt::format("{}, {}", (model.dir() / (name + ".v")).string(), pipeline_summary(model)));
    return model;
}

void save_graph(const VerilogModel& model) {
    std::ofstream(model.dir() / (model.module().name + ".txt")) << model.logic().dump();
}

std::string pipeline_summary(const VerilogModel& model) {
    const backend::VerilogModule& m = model.module();
    const Pipeline& p = m.pipeline;
    std::string s = fmt::format(
        "latency {} cycles (cut-off {:.2f} levels per stage{}{}), {} register bits (as soon as "
        "possible: {})",
        m.latency, p.cutoff, p.register_inputs ? ", registered inputs" : "",
        p.register_outputs ? ", registered outputs" : "", p.register_bits, p.register_bits_asap);
    if (m.regrouped)
        s += fmt::format("; sums regrouped by stage ({} trees; {} register bits before)", p.regrouped_sums,
                         p.register_bits_before_regrouping);
    // The register/clock trade-off at this latency (empty on very large graphs).
    if (!p.longer_stages.empty()) {
        s += "; longer stages:";
        for (const backend::LongerStages& l : p.longer_stages)
            s += fmt::format(" {} at cut-off {:.2f},", l.register_bits, l.cutoff);
        s += fmt::format(" {} at any length", p.register_bits_floor);
    }
    return s;
}

std::size_t check_rtl(Steps& steps, Checks& checks, VerilogModel& model, const backend::Vectors& vectors,
                      const std::string& items, const std::string& item) {
    steps.start(fmt::format("Verilator: build, then {} {}", vectors.batch, items));
    std::size_t mismatches = model.verify(vectors).mismatched_samples;
    steps.done(fmt::format("{} mismatches (build {:.1f} s)", mismatches, model.build_seconds()));
    checks.require(mismatches == 0, "Verilator agrees with the interpreter on every " + item);
    return mismatches;
}

EquivResult prove_pipeline(Steps& steps, Checks& checks, const VerilogModel& pipelined) {
    steps.start("formal: pipelined == combinational (Yosys + ABC)");
    const std::string& name = pipelined.module().name;
    // A pipeline of regrouped sums computes its graph with other adders than the logic's (the
    // same values: each regrouped sum adds the same terms, and its RTL was checked against the
    // interpreter); its registers are proven transparent against that graph's combinational module.
    VerilogModel comb(pipelined.emitted_logic(), name, pipelined.dir() / "comb");
    EquivResult r = equiv(comb, pipelined);
    std::string result = fmt::format("{} [{}]", r.message, r.method);
    if (r.status == EquivStatus::unknown) {
        // No proof: say so, then look for a disagreement by simulation (not a proof either).
        EquivResult sim = backend::equiv_simulate(comb, pipelined, 2000, 1, pipelined.dir() / "equiv_sim");
        result += fmt::format("; simulation fallback: {} [{}]", sim.message, sim.method);
        if (sim.status == EquivStatus::different) r = sim;
    }
    steps.done(result);
    checks.require(r.status != EquivStatus::different, "the pipelined RTL computes the combinational RTL's function");
    return r;
}

SynthOptions synth_options() {
    SynthOptions options;     // xc7
    options.progress = true;  // Yosys' phase every 10 s on stderr
    return options;
}

std::optional<SynthReport> synthesis_step(Steps& steps, const VerilogModel& model, bool quick) {
    steps.start("Yosys synthesis (xc7)");
    std::optional<SynthReport> synth;
    if (!quick) synth = synthesize(model, synth_options());
    steps.done(synth ? fmt::format("{} LUTs, {} FFs, {} CARRY4, {} logic levels", synth->lut, synth->ff, synth->carry,
                                   synth->logic_levels)
                     : std::string("skipped (--quick)"));
    return synth;
}

void Checks::require(bool ok, const std::string& what) {
    fmt::print("CHECK {}: {}\n", ok ? "ok" : "FAILED", what);
    failed_ += !ok;
}

}  // namespace samples
