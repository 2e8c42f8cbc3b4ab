// digits_mlp: a trained, quantized classifier for the 8x8 handwritten digits, end to end.
//
// tools/train_digits.py trained a 64 -> 16 -> 10 MLP with HGQ-style quantization-aware training
// (per-weight fractional bits, many weights pruned to 0, per-neuron activation formats) and
// exported data/<model>/*.npy: the weights (already dyadic), their fractional bits, the formats
// of the inputs and activations, and metrics.json with the accuracy the training framework
// measured. This program loads them, traces the same fixed-point function with fixvar, and
// shows that the circuit is the trained network:
//   accuracy on the held-out split (bit-exact interpreter) == the framework's, float for reference
//   -> pipelined Verilog -> Verilator on the test images (0 mismatches)
//   -> formal proof: pipelined RTL == combinational RTL delayed by the latency -> Yosys LUTs/FFs
// and, without --quick, the Pareto sweep (accuracy vs LUTs vs latency of all trained models).
//
//   digits_mlp [--quick] [--model NAME] [--data DIR] [--out DIR] [--latency CYCLES] [--cutoff LEVELS]
// Writes RTL and reports under out/digits_mlp/. The last line is machine-readable:
//   DEMO accuracy_float=A accuracy_fixed=B verilator_mismatches=N luts=L ffs=F latency_cycles=C
// Exit code 0 only if every CHECK passed.
#include <algorithm>
#include <cmath>
#include <fstream>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/fixvar.hpp>
#include <fixvar/io/npy.hpp>

#include "../common/flow.hpp"

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

struct Options {
    fs::path data = DIGITS_MLP_DATA;  // the source tree's samples/digits_mlp/data
    fs::path out = "out";
    std::string model = "beta_1e-5";
    bool quick = false;       // CI: 100 test images through Verilator, no sweep
    int latency = 5;          // pipeline latency in cycles
    double cutoff = 0;        // at most this many levels of estimated delay per stage (0: the
                              // smallest that allows the latency)
    VerilogOptions pipeline() const { return {.latency_cutoff = cutoff, .latency = latency}; }
};

Options parse(int argc, char** argv) {
    Options o;
    for (int a = 1; a < argc; ++a) {
        std::string arg = argv[a];
        auto value = [&]() -> std::string {
            if (a + 1 >= argc) fail("digits_mlp", "{} needs a value", arg);
            return argv[++a];
        };
        if (arg == "--quick") o.quick = true;
        else if (arg == "--model") o.model = value();
        else if (arg == "--data") o.data = value();
        else if (arg == "--out") o.out = value();
        else if (arg == "--cutoff") o.cutoff = std::stod(value());
        else if (arg == "--latency") o.latency = std::stoi(value());
        else fail("digits_mlp", "unknown argument '{}' (use --quick, --model NAME, --data DIR, "
                  "--out DIR, --latency CYCLES, --cutoff LEVELS)", arg);
    }
    return o;
}

// The trained network as a traced circuit: outputs are the 10 logits and the class.
CombLogic trace_mlp(const fs::path& dir, const std::vector<int>& hidden) {
    // Weights with their per-weight fractional bits: constant(w, f) checks that each weight
    // lies on its grid 2^-f (the trained quantization), then they are exact constants.
    auto weights = [&](const std::string& name) {
        return constant(load_npy(dir / (name + ".npy")), load_npy(dir / (name + "_f.npy")));
    };
    // Formats of the input and activation quantizers: arrays of k, i and f, one per element.
    auto formats = [&](const std::string& name) {
        return format_array(load_npy(dir / (name + "_k.npy")), load_npy(dir / (name + "_i.npy")),
                            load_npy(dir / (name + "_f.npy")));
    };
    FixedVariableArray x = input({64}, formats("input"));  // kif(0, 0, f) per pixel
    FixedVariableArray h = x;
    for (std::size_t j = 0; j < hidden.size(); ++j) {
        std::string l = std::to_string(j);
        h = dense(h, weights("w" + l), weights("b" + l));
        h = quantize(relu(h), formats("a" + l), Round::TRN, Overflow::SAT);
    }
    FixedVariableArray logits = dense(h, weights("w_out"), weights("b_out"));
    return comb_trace({x}, {logits, argmax(logits)});
}

// The float reference network (float_w*.npy, float_b*.npy) evaluated in double.
double float_accuracy(const fs::path& dir, const samples::LabelledData& test) {
    std::vector<NpyArray> w, b;
    for (int j = 0; fs::exists(dir / fmt::format("float_w{}.npy", j)); ++j) {
        w.push_back(load_npy(dir / fmt::format("float_w{}.npy", j)));
        b.push_back(load_npy(dir / fmt::format("float_b{}.npy", j)));
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
    return samples::accuracy(out, 0, test.labels);
}

struct ModelResult {
    std::string name;
    double beta = 0, accuracy_fixed = 0, accuracy_framework = 0;
    std::size_t nonzero = 0, total = 0, adders = 0;
    int latency = 0;
    samples::Synthesis synth;
};

// The trained models: every directory of data/ with a metrics.json, by increasing beta.
std::vector<samples::Recorded> trained_models(const fs::path& data) {
    std::vector<samples::Recorded> models;
    for (const auto& entry : fs::directory_iterator(data))
        if (fs::exists(entry.path() / "metrics.json"))
            models.push_back(samples::read_recorded(entry.path() / "metrics.json"));
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.beta < b.beta; });
    return models;
}

// The Pareto sweep: every trained model traced, its accuracy measured, emitted and synthesized
// (the demo's own model is already done: `done`).
std::vector<ModelResult> sweep(const Options& o, const samples::LabelledData& test,
                               const ModelResult& done, samples::Checks& checks) {
    std::vector<ModelResult> rows;
    std::vector<samples::Recorded> models = trained_models(o.data);
    for (std::size_t m = 0; m < models.size(); ++m) {
        const samples::Recorded& rec = models[m];
        if (rec.name == done.name) {
            fmt::print("  [{}/{}] {}: done above\n", m + 1, models.size(), rec.name);
            rows.push_back(done);
            continue;
        }
        auto t0 = std::chrono::steady_clock::now();
        fs::path dir = o.data / rec.name;
        CombLogic logic = trace_mlp(dir, rec.architecture);
        auto predictions = logic.predict(test.samples, QuantizeInputs{Round::RND, Overflow::SAT});
        ModelResult r{rec.name, rec.beta, samples::accuracy(predictions, 10, test.labels),
                      rec.accuracy_framework, rec.nonzero_weights, rec.total_weights,
                      samples::adders(logic), 0, {}};
        VerilogModel model(logic, "digits_mlp", o.out / "digits_mlp" / "sweep" / rec.name, o.pipeline());
        model.write();
        r.latency = model.latency();
        fmt::print("  [{}/{}] {}: accuracy {:.4f}, {} adders, latency {} cycles; synthesizing ...\n",
                   m + 1, models.size(), rec.name, r.accuracy_fixed, r.adders, r.latency);
        std::fflush(stdout);
        r.synth = samples::synthesize(model);
        fmt::print("        {:.1f} s\n", samples::seconds_since(t0));
        checks.require(std::abs(r.accuracy_fixed - r.accuracy_framework) <= 1e-3,
                       fmt::format("{}: fixed-point accuracy {:.4f} == framework's {:.4f}", rec.name,
                                   r.accuracy_fixed, r.accuracy_framework));
        rows.push_back(r);
    }
    return rows;
}

std::string pareto_table(const std::vector<ModelResult>& rows) {
    std::string t = "| model | beta | nonzero weights | accuracy (fixed) | adders | LUTs | FFs | latency (cycles) |\n"
                    "|---|---|---|---|---|---|---|---|\n";
    for (const ModelResult& r : rows)
        t += fmt::format("| {} | {:g} | {}/{} | {:.4f} | {} | {} | {} | {} |\n", r.name, r.beta,
                         r.nonzero, r.total, r.accuracy_fixed, r.adders,
                         r.synth.lut, r.synth.ff, r.latency);
    return t;
}

}  // namespace

int main(int argc, char** argv) try {
    Options o = parse(argc, argv);
    fs::path model_dir = o.data / o.model, out_dir = o.out / "digits_mlp";
    samples::Steps steps(o.quick ? 7 : 8);
    samples::Checks checks;

    steps.start("load weights and the test split");
    samples::Recorded rec = samples::read_recorded(model_dir / "metrics.json");
    samples::LabelledData test = samples::load_labelled(o.data / "x_test.npy", o.data / "y_test.npy");
    steps.done(fmt::format("model {} (beta {:g}, {}/{} weights nonzero), {} test images", rec.name,
                           rec.beta, rec.nonzero_weights, rec.total_weights, test.samples.size()));

    steps.start("trace (dense layers through CMVM)");
    CombLogic logic = trace_mlp(model_dir, rec.architecture);
    std::size_t adders = samples::adders(logic);
    steps.done(fmt::format("{} adders; {}", adders, logic.summary()));

    steps.start("accuracy: bit-exact interpreter and float reference");
    // Float data in: each image is quantized to the input ports' trained formats (RND, SAT),
    // exactly as the training framework's input quantizer did.
    const QuantizeInputs input_quantizer{Round::RND, Overflow::SAT};
    auto predictions = logic.predict(test.samples, input_quantizer);
    double acc_fixed = samples::accuracy(predictions, 10, test.labels);
    double acc_float = float_accuracy(o.data, test);
    steps.done(fmt::format("fixed {:.4f} (framework recorded {:.4f}), float {:.4f} (recorded {:.4f})",
                           acc_fixed, rec.accuracy_framework, acc_float, rec.accuracy_float));
    checks.require(test.samples.size() == rec.test_samples, "the test split is the recorded one");
    checks.require(std::abs(acc_fixed - rec.accuracy_framework) <= 1e-3,
                   "fixed-point accuracy agrees with the framework's within 1/1000");
    checks.require(acc_fixed >= 0.94, fmt::format("fixed-point accuracy {:.4f} >= 0.94", acc_fixed));
    if (rec.accuracy_float >= 0)  // float32 in training vs double here: a near-tie may differ
        checks.require(std::abs(acc_float - rec.accuracy_float) <= 0.005,
                       "float reference accuracy agrees with the recorded one");

    steps.start("pipelined Verilog");
    VerilogModel model(logic, "digits_mlp", out_dir / rec.name, o.pipeline());
    model.write();
    samples::save_graph(model);
    steps.done(fmt::format("{}, {}", (model.dir() / "digits_mlp.v").string(), samples::pipeline_summary(model)));

    std::size_t n_rtl = o.quick ? std::min<std::size_t>(100, test.samples.size()) : test.samples.size();
    steps.start(fmt::format("Verilator: build, then {} test images", n_rtl));
    std::vector<std::vector<double>> rtl_samples(test.samples.begin(), test.samples.begin() + std::ptrdiff_t(n_rtl));
    std::size_t mismatches =
        samples::rtl_mismatches(model, backend::vectors_from_values(logic, rtl_samples, input_quantizer));
    steps.done(fmt::format("{} mismatches in {} images (build {:.1f} s)", mismatches, n_rtl,
                           model.build_seconds()));
    checks.require(mismatches == 0, "Verilator agrees with the interpreter on every image");

    EquivResult proof = samples::prove_pipeline(steps, checks, model);

    samples::Synthesis synth = *samples::synthesis_step(steps, model, /*quick=*/false);

    std::string pareto;
    if (!o.quick) {
        steps.start("Pareto sweep: every trained model");
        ModelResult done{rec.name, rec.beta, acc_fixed, rec.accuracy_framework, rec.nonzero_weights,
                         rec.total_weights, adders, model.latency(), synth};
        pareto = pareto_table(sweep(o, test, done, checks));
        steps.done("table below");
    }

    std::string summary = fmt::format(
        "\n| digits_mlp ({}) | |\n|---|---|\n"
        "| accuracy, training framework (recorded) | {:.4f} |\n| accuracy, fixed point (fixvar) | {:.4f} |\n"
        "| accuracy, float reference | {:.4f} |\n| adders | {} |\n| LUTs | {} |\n| FFs | {} |\n"
        "| logic levels | {} |\n| latency | {} cycles |\n| Verilator mismatches | {} of {} |\n"
        "| pipelined == combinational | {} ({}, {:.1f} s) |\n",
        rec.name, rec.accuracy_framework, acc_fixed, acc_float, adders,
        synth.lut, synth.ff, synth.logic_levels, model.latency(), mismatches, n_rtl,
        to_string(proof.status), proof.method, proof.seconds);
    std::string report = summary + "\n" + steps.table() + (pareto.empty() ? "" : "\nPareto sweep\n" + pareto);
    std::ofstream(out_dir / "report.md") << report;
    fmt::print("{}\nreport: {}\n", report, (out_dir / "report.md").string());
    fmt::print("DEMO accuracy_float={:.4f} accuracy_fixed={:.4f} verilator_mismatches={} luts={} "
               "ffs={} latency_cycles={}\n",
               acc_float, acc_fixed, mismatches, synth.lut, synth.ff,
               model.latency());
    return checks.all_passed() ? 0 : 1;
} catch (const fixvar::Error& e) {
    fmt::print(stderr, "digits_mlp: {}\n", e.what());
    return 2;
}
