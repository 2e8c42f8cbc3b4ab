#pragma once
// What the end-to-end samples share: their command-line options, timing each step (with a
// summary table), the digits test split, accuracy, the RTL-vs-interpreter check on a data set,
// the pipeline proof and synthesis.
// The samples' main()s show the fixvar calls; this file only keeps their bookkeeping in one
// place.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fixvar/backend/equiv.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/fixvar.hpp>

namespace CLI {
class App;
}

namespace samples {

/// The options every end-to-end sample takes (CLI11).
struct FlowOptions {
    bool quick = false;                 ///< --quick (CI): fewer vectors through Verilator, no synthesis
    std::filesystem::path out = "out";  ///< --out DIR: RTL and reports under DIR/<sample>/
    fixvar::VerilogOptions pipeline;    ///< --latency CYCLES, --cutoff LEVELS (0: the smallest
                                        ///< cut-off that allows the latency), --regroup-sums
};
/// Adds --quick (its help: "CI: " + `quick`), --out DIR, --latency CYCLES, --cutoff LEVELS and --regroup-sums
/// to `app`, stored in `o` (whose values are the defaults --help shows).
void add_flow_options(CLI::App& app, FlowOptions& o,
                      const std::string& quick = "fewer vectors through Verilator, no synthesis");

/// Prints "[n/N] what ..." when a step starts and its time and result when it ends; keeps
/// them for the summary table.
class Steps {
public:
    explicit Steps(int planned) : planned_(planned) {}
    void start(std::string what);
    /// Ends the running step; `result` is one line for the table.
    void done(std::string result);
    double seconds(const std::string& what) const;
    /// "step | seconds | result" rows.
    std::string table() const;

private:
    struct Row {
        std::string what, result;
        double seconds = 0;
    };
    int planned_;
    std::vector<Row> rows_;
    std::chrono::steady_clock::time_point t0_;
};

/// The held-out digits (x_test.npy: N x 64 floats in [0, 1]; y_test.npy: N labels), at most
/// `limit` of them (0: all).
struct LabelledData {
    std::vector<std::vector<double>> samples;
    std::vector<int> labels;
};
LabelledData load_labelled(const std::filesystem::path& x_npy, const std::filesystem::path& y_npy,
                           std::size_t limit = 0);

/// What the training script recorded next to a model's weights (metrics.json).
struct Recorded {
    std::string name, kind;
    std::vector<int> architecture;
    double beta = 0;
    double accuracy_framework = 0;  ///< the training framework's quantized accuracy
    double accuracy_float = -1;     ///< the float reference model's (-1: not recorded)
    std::size_t test_samples = 0, nonzero_weights = 0, total_weights = 0;
};
Recorded read_recorded(const std::filesystem::path& metrics_json);
/// The trained models under `data` (each directory with a metrics.json), by increasing beta.
std::vector<Recorded> trained_models(const std::filesystem::path& data);

/// One row of the Pareto table: a trained model's accuracy and hardware cost.
struct ParetoRow {
    Recorded rec;
    double accuracy_fixed = 0;
    std::size_t adders = 0;
    long lut = 0, ff = 0;
    int latency = 0;
};
/// "| model | beta | nonzero weights | accuracy (fixed) | adders | LUTs | FFs | latency |" rows.
std::string pareto_table(const std::vector<ParetoRow>& rows);

/// Accuracy of the float reference MLP data/float_w<j>.npy, float_b<j>.npy (dense layers, ReLU
/// between them, the class = argmax) in double.
double float_mlp_accuracy(const std::filesystem::path& data, const LabelledData& test);

/// Fraction of rows whose column `label_column` equals the label.
double accuracy(const std::vector<std::vector<double>>& outputs, std::size_t label_column,
                const std::vector<int>& labels);

/// The first `n` rows (all if there are fewer).
std::vector<std::vector<double>> first(const std::vector<std::vector<double>>& rows, std::size_t n);

/// The required checks: prints "CHECK ok/FAILED: what" and remembers failures.
class Checks {
public:
    void require(bool ok, const std::string& what);
    bool all_passed() const { return failed_ == 0; }

private:
    int failed_ = 0;
};

/// Step "pipelined Verilog": the module `name` in `dir` (and its graph, dir/name.txt),
/// pipelined as `options` say (latency, cut-off, registered boundaries).
fixvar::VerilogModel write_pipelined(Steps& steps, const fixvar::CombLogic& logic, const std::string& name,
                                     const std::filesystem::path& dir, const fixvar::VerilogOptions& options);
/// The model's graph as dir/NAME.txt (CombLogic::dump), for `fixvar verilog NAME.txt --latency L`
/// and bench_latency_table.
void save_graph(const fixvar::VerilogModel& model);
/// "latency L cycles (cut-off C levels per stage), R register bits (as soon as possible: A)[; sums
/// regrouped by stage (T trees; B register bits before)]; longer stages: R1 at cut-off C1, ..., Rf
/// at any length".
std::string pipeline_summary(const fixvar::VerilogModel& model);
/// Step "Verilator: build, then N <items>": RTL vs interpreter on `vectors`, required to agree
/// on every <item>. Returns the number of mismatching samples.
std::size_t check_rtl(Steps& steps, Checks& checks, fixvar::VerilogModel& model,
                      const fixvar::backend::Vectors& vectors, const std::string& items, const std::string& item);
/// Step "formal: pipelined == combinational": writes the combinational module of the same
/// circuit (dir/comb) and proves the pipeline equal to it delayed by its latency (II = 1; Yosys
/// + ABC). Without a proof it runs the simulation fallback and says so ("not proven"); only a
/// disagreement fails the check. Returns the equivalence result shown in the table.
fixvar::EquivResult prove_pipeline(Steps& steps, Checks& checks, const fixvar::VerilogModel& pipelined);
/// The samples' synthesis: xc7, with Yosys' progress on stderr every 10 s.
fixvar::SynthOptions synth_options();
/// Step "Yosys synthesis (xc7)", with Yosys' progress on stderr; nothing (and "skipped") when
/// `quick`.
std::optional<fixvar::SynthReport> synthesis_step(Steps& steps, const fixvar::VerilogModel& model, bool quick);

double seconds_since(std::chrono::steady_clock::time_point t0);

}  // namespace samples
