#include "flow.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include <fixvar/io/npy.hpp>
#include <fixvar/trace/weights.hpp>
#include <fixvar/backend/synth.hpp>

namespace samples {

using namespace fixvar;

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

LabelledData load_labelled(const std::filesystem::path& x_npy, const std::filesystem::path& y_npy,
                           std::size_t limit) {
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

double accuracy(const std::vector<std::vector<double>>& outputs, std::size_t label_column,
                const std::vector<int>& labels) {
    std::size_t right = 0;
    for (std::size_t s = 0; s < outputs.size(); ++s) right += outputs[s][label_column] == labels[s];
    return outputs.empty() ? 0 : double(right) / double(outputs.size());
}

std::size_t rtl_mismatches(VerilogModel& model, const backend::Vectors& vectors) {
    std::vector<i128> rtl = model.predict_mantissas(vectors);
    std::vector<i128> ref = model.logic().predict_mantissas(vectors.mantissas, vectors.batch);
    std::size_t outputs = model.logic().output_count(), bad = 0;
    for (std::size_t s = 0; s < vectors.batch; ++s)
        bad += !std::equal(rtl.begin() + std::ptrdiff_t(s * outputs),
                           rtl.begin() + std::ptrdiff_t((s + 1) * outputs),
                           ref.begin() + std::ptrdiff_t(s * outputs));
    return bad;
}

std::size_t adders(const CombLogic& logic) {
    return logic.stats().count_by_op[int(ir::Op::Add)];
}

Synthesis synthesize(const VerilogModel& model) {
    SynthOptions options;
    options.progress = true;  // Yosys' phase every 10 s on stderr
    SynthReport r = fixvar::synthesize(model, options);
    return Synthesis{r.lut, r.ff, r.carry, r.logic_levels, r.seconds};
}

VerilogModel write_pipelined(Steps& steps, const CombLogic& logic, const std::string& name,
                             const std::filesystem::path& dir, const VerilogOptions& options) {
    steps.start("pipelined Verilog");
    VerilogModel model(logic, name, dir / name, options);
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
    return fmt::format("latency {} cycles (cut-off {:.2f} levels per stage{}{}), {} register bits (as soon as "
                       "possible: {})",
                       m.latency, p.cutoff, p.register_inputs ? ", registered inputs" : "",
                       p.register_outputs ? ", registered outputs" : "", p.register_bits, p.register_bits_asap);
}

std::size_t check_rtl(Steps& steps, Checks& checks, VerilogModel& model, const backend::Vectors& vectors,
                      const std::string& items, const std::string& item) {
    steps.start(fmt::format("Verilator: build, then {} {}", vectors.batch, items));
    std::size_t mismatches = rtl_mismatches(model, vectors);
    steps.done(fmt::format("{} mismatches (build {:.1f} s)", mismatches, model.build_seconds()));
    checks.require(mismatches == 0, "Verilator agrees with the interpreter on every " + item);
    return mismatches;
}

EquivResult prove_pipeline(Steps& steps, Checks& checks, const VerilogModel& pipelined) {
    steps.start("formal: pipelined == combinational (Yosys + ABC)");
    const std::string& name = pipelined.module().name;
    VerilogModel comb(pipelined.logic(), name, pipelined.dir() / "comb");
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

std::optional<Synthesis> synthesis_step(Steps& steps, const VerilogModel& model, bool quick) {
    steps.start("Yosys synthesis (xc7)");
    std::optional<Synthesis> synth;
    if (!quick) synth = samples::synthesize(model);
    steps.done(synth ? fmt::format("{} LUTs, {} FFs, {} CARRY4, {} logic levels", synth->lut, synth->ff,
                                   synth->carry, synth->logic_levels)
                     : std::string("skipped (--quick)"));
    return synth;
}

void Checks::require(bool ok, const std::string& what) {
    fmt::print("CHECK {}: {}\n", ok ? "ok" : "FAILED", what);
    failed_ += !ok;
}

}  // namespace samples
