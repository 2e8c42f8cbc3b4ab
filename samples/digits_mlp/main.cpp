// digits_mlp: a trained, quantized classifier for the 8x8 handwritten digits, end to end.
//
// tools/train_digits.py trained a 64 -> 16 -> 10 MLP with HGQ-style quantization-aware training
// (per-weight fractional bits, many weights pruned to 0, per-neuron activation formats) and
// exported data/<model>/*.npy in the HGQ convention (fixvar/io/hgq.hpp) with metrics.json, the
// accuracy the training framework measured. This program loads them, traces the same
// fixed-point function with fixvar, and shows that the circuit is the trained network:
//   accuracy on the held-out split (bit-exact interpreter) == the framework's, float for reference
//   -> pipelined Verilog -> Verilator on the test images (0 mismatches)
//   -> formal proof: pipelined RTL == combinational RTL delayed by the latency -> Yosys LUTs/FFs
// and, without --quick, the Pareto sweep (accuracy vs LUTs vs latency of all trained models).
//
//   digits_mlp [--quick] [--model NAME] [--data DIR] [--out DIR] [--latency CYCLES]
//              [--cutoff LEVELS]
// (--quick, used by CI: 100 test images through Verilator, no sweep.) Writes RTL and reports
// under out/digits_mlp/. The last line is machine-readable:
//   DEMO accuracy_float=A accuracy_fixed=B verilator_mismatches=N luts=L ffs=F latency_cycles=C
// Exit code 0 only if every CHECK passed.
#include <cmath>
#include <fstream>

#include <CLI/CLI.hpp>

#include <fixvar/fixvar.hpp>
#include <fixvar/io/hgq.hpp>

#include "../common/flow.hpp"

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

// The trained network as a traced circuit: outputs are the 10 logits and the class. Weights are
// exact constants on their trained grids; each hidden layer is ReLU, then its trained quantizer.
CombLogic trace_mlp(const hgq::Model& trained) {
    FixedVariableArray x = input({64}, format_array(trained.input));  // kif(0, 0, f) per pixel
    FixedVariableArray h = x;
    for (const hgq::Layer& layer : trained.hidden) {
        h = dense(h, constant(layer.weights), constant(layer.bias));
        h = quantize(relu(h), format_array(*layer.activation), Round::TRN, Overflow::SAT);
    }
    FixedVariableArray logits = dense(h, constant(trained.out.weights), constant(trained.out.bias));
    return comb_trace({x}, {logits, argmax(logits)});
}

// Float data in: each image is quantized to the input ports' trained formats (RND, SAT), exactly
// as the training framework's input quantizer did.
const QuantizeInputs input_quantizer{Round::RND, Overflow::SAT};

// The Pareto sweep: every other trained model traced, its accuracy checked, emitted and
// synthesized; `done` is the demo's own row.
std::vector<samples::ParetoRow> sweep(const samples::FlowOptions& o, const fs::path& data,
                                      const samples::LabelledData& test, const samples::ParetoRow& done,
                                      samples::Checks& checks) {
    std::vector<samples::ParetoRow> rows;
    std::vector<samples::Recorded> models = samples::trained_models(data);
    for (std::size_t m = 0; m < models.size(); ++m) {
        const samples::Recorded& rec = models[m];
        fmt::print("  [{}/{}] {}: ", m + 1, models.size(), rec.name);
        if (rec.name == done.rec.name) {
            fmt::print("done above\n");
            rows.push_back(done);
            continue;
        }
        auto t0 = std::chrono::steady_clock::now();
        CombLogic logic = trace_mlp(hgq::load_model(data / rec.name));
        double acc = samples::accuracy(logic.predict(test.samples, input_quantizer), 10, test.labels);
        VerilogModel model(logic, "digits_mlp", o.out / "digits_mlp" / "sweep" / rec.name, o.pipeline);
        model.write();
        fmt::print("accuracy {:.4f}, {} adders, latency {} cycles; synthesizing ...\n", acc, logic.stats().adders(),
                   model.latency());
        std::fflush(stdout);
        SynthReport synth = synthesize(model, samples::synth_options());
        fmt::print("        {:.1f} s\n", samples::seconds_since(t0));
        checks.require(std::abs(acc - rec.accuracy_framework) <= 1e-3,
                       fmt::format("{}: fixed-point accuracy {:.4f} == framework's {:.4f}", rec.name, acc,
                                   rec.accuracy_framework));
        rows.push_back({rec, acc, logic.stats().adders(), synth.lut, synth.ff, model.latency()});
    }
    return rows;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"digits_mlp: a trained, quantized digits classifier from .npy weights to LUTs"};
    samples::FlowOptions o{.pipeline = {.latency = 5}};
    fs::path data = DIGITS_MLP_DATA;  // the source tree's samples/digits_mlp/data
    std::string model_name = "beta_1e-5";
    samples::add_flow_options(app, o, "100 test images through Verilator, no Pareto sweep");
    app.add_option("--data", data, "the trained models and the test split")->type_name("DIR")->capture_default_str();
    app.add_option("--model", model_name, "the model to run (a directory of --data)")
        ->type_name("NAME")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    fs::path out_dir = o.out / "digits_mlp";
    samples::Steps steps(o.quick ? 7 : 8);
    samples::Checks checks;

    steps.start("load weights and the test split");
    samples::Recorded rec = samples::read_recorded(data / model_name / "metrics.json");
    hgq::Model trained = hgq::load_model(data / model_name);
    samples::LabelledData test = samples::load_labelled(data / "x_test.npy", data / "y_test.npy");
    steps.done(fmt::format("model {} (beta {:g}, {}/{} weights nonzero), {} test images", rec.name, rec.beta,
                           rec.nonzero_weights, rec.total_weights, test.samples.size()));

    steps.start("trace (dense layers through CMVM)");
    CombLogic logic = trace_mlp(trained);
    std::size_t adders = logic.stats().adders();
    steps.done(fmt::format("{} adders; {}", adders, logic.summary()));

    steps.start("accuracy: bit-exact interpreter and float reference");
    double acc_fixed = samples::accuracy(logic.predict(test.samples, input_quantizer), 10, test.labels);
    double acc_float = samples::float_mlp_accuracy(data, test);
    steps.done(fmt::format("fixed {:.4f} (framework recorded {:.4f}), float {:.4f} (recorded {:.4f})", acc_fixed,
                           rec.accuracy_framework, acc_float, rec.accuracy_float));
    checks.require(test.samples.size() == rec.test_samples, "the test split is the recorded one");
    checks.require(std::abs(acc_fixed - rec.accuracy_framework) <= 1e-3,
                   "fixed-point accuracy agrees with the framework's within 1/1000");
    checks.require(acc_fixed >= 0.94, fmt::format("fixed-point accuracy {:.4f} >= 0.94", acc_fixed));
    if (rec.accuracy_float >= 0)  // float32 in training vs double here: a near-tie may differ
        checks.require(std::abs(acc_float - rec.accuracy_float) <= 0.005,
                       "float reference accuracy agrees with the recorded one");

    VerilogModel model = samples::write_pipelined(steps, logic, "digits_mlp", out_dir / rec.name, o.pipeline);

    std::vector<std::vector<double>> rtl_images = samples::first(test.samples, o.quick ? 100 : test.samples.size());
    std::size_t mismatches = samples::check_rtl(
        steps, checks, model, backend::vectors_from_values(logic, rtl_images, input_quantizer), "test images", "image");

    EquivResult proof = samples::prove_pipeline(steps, checks, model);

    SynthReport synth = *samples::synthesis_step(steps, model, /*quick=*/false);

    std::string pareto;
    if (!o.quick) {
        steps.start("Pareto sweep: every trained model");
        samples::ParetoRow done{rec, acc_fixed, adders, synth.lut, synth.ff, model.latency()};
        pareto = samples::pareto_table(sweep(o, data, test, done, checks));
        steps.done("table below");
    }

    std::string summary = fmt::format(
        "\n| digits_mlp ({}) | |\n|---|---|\n"
        "| accuracy, training framework (recorded) | {:.4f} |\n| accuracy, fixed point (fixvar) | "
        "{:.4f} |\n"
        "| accuracy, float reference | {:.4f} |\n| adders | {} |\n| LUTs | {} |\n| FFs | {} |\n"
        "| logic levels | {} |\n| latency | {} cycles |\n| Verilator mismatches | {} of {} |\n"
        "| pipelined == combinational | {} ({}, {:.1f} s) |\n",
        rec.name, rec.accuracy_framework, acc_fixed, acc_float, adders, synth.lut, synth.ff, synth.logic_levels,
        model.latency(), mismatches, rtl_images.size(), to_string(proof.status), proof.method, proof.seconds);
    std::string report = summary + "\n" + steps.table() + (pareto.empty() ? "" : "\nPareto sweep\n" + pareto);
    std::ofstream(out_dir / "report.md") << report;
    fmt::print("{}\nreport: {}\n", report, (out_dir / "report.md").string());
    fmt::print(
        "DEMO accuracy_float={:.4f} accuracy_fixed={:.4f} verilator_mismatches={} luts={} "
        "ffs={} latency_cycles={}\n",
        acc_float, acc_fixed, mismatches, synth.lut, synth.ff, model.latency());
    return checks.all_passed() ? 0 : 1;
} catch (const fixvar::Error& e) {
    fmt::print(stderr, "digits_mlp: {}\n", e.what());
    return 2;
}
