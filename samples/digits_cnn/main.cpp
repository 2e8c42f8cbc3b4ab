// digits_cnn: a trained, quantized conv net for the 8x8 handwritten digits, end to end.
//
// tools/train_digits.py trained it the same way as digits_mlp (HGQ-style per-weight formats):
//   input 8x8x1, per-pixel kif(0, 0, f) (RND, SAT)
//   conv2d 3x3, 4 filters, valid (through im2col + CMVM)     -> 6x6x4
//   max pool 2x2                                              -> 3x3x4
//   ReLU + per-filter quantize kif(0, i, f) (TRN, SAT)         (after the pool: the same
//                                                               function, 4x fewer quantizers)
//   dense 36 -> 10, argmax
// This program loads data/*.npy, traces the network, checks that the bit-exact accuracy on the
// held-out split equals the framework's, emits pipelined Verilog, runs Verilator on the test
// images and synthesizes with Yosys.
//   digits_cnn [--quick] [--data DIR] [--out DIR] [--latency CYCLES] [--cutoff LEVELS]
//   (--quick, used by CI: 100 test images through Verilator, no synthesis)
// Exit code 0 only if every CHECK passed.
#include <cmath>

#include <CLI/CLI.hpp>

#include <fixvar/fixvar.hpp>
#include <fixvar/io/hgq.hpp>

#include "../common/flow.hpp"

using namespace fixvar;
namespace fs = std::filesystem;

int main(int argc, char** argv) try {
    CLI::App app{"digits_cnn: a trained, quantized conv net for the 8x8 digits, end to end"};
    samples::FlowOptions o{.pipeline = {.latency = 6}};  // cut-off: the smallest that allows 6 cycles
    fs::path data = DIGITS_CNN_DATA, test_dir = DIGITS_MLP_DATA;
    samples::add_flow_options(app, o);
    app.add_option("--data", data, "the trained model (.npy files and metrics.json)")
        ->type_name("DIR")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    samples::Steps steps(6);
    samples::Checks checks;

    steps.start("load weights and the test split, trace (conv and dense through CMVM)");
    samples::Recorded rec = samples::read_recorded(data / "metrics.json");
    hgq::Model trained = hgq::load_model(data);  // weights on their trained grids, formats
    samples::LabelledData test = samples::load_labelled(test_dir / "x_test.npy", test_dir / "y_test.npy");
    const hgq::Layer& conv = trained.hidden.at(0);
    FixedVariableArray x = input({8, 8, 1}, format_array(trained.input));
    FixedVariableArray h = conv2d(x, constant(conv.weights), constant(conv.bias));
    h = max_pool2d(h, {2, 2});
    h = quantize(relu(h), format_array(*conv.activation), Round::TRN, Overflow::SAT);
    FixedVariableArray logits = dense(reshape(h, {-1}), constant(trained.out.weights), constant(trained.out.bias));
    CombLogic logic = comb_trace({x}, {logits, argmax(logits)});
    std::size_t adders = logic.stats().adders();
    steps.done(fmt::format("{}/{} weights nonzero, {} adders; {}", rec.nonzero_weights, rec.total_weights, adders,
                           logic.summary()));

    steps.start("accuracy (bit-exact interpreter)");
    const QuantizeInputs input_quantizer{Round::RND, Overflow::SAT};  // float pixels in
    double acc_fixed = samples::accuracy(logic.predict(test.samples, input_quantizer), 10, test.labels);
    steps.done(fmt::format("fixed {:.4f} (framework recorded {:.4f}, float reference {:.4f})", acc_fixed,
                           rec.accuracy_framework, rec.accuracy_float));
    checks.require(std::abs(acc_fixed - rec.accuracy_framework) <= 1e-3,
                   "fixed-point accuracy agrees with the framework's within 1/1000");
    checks.require(acc_fixed >= 0.9, fmt::format("fixed-point accuracy {:.4f} >= 0.90", acc_fixed));

    VerilogModel model = samples::write_pipelined(steps, logic, "digits_cnn", o.out / "digits_cnn", o.pipeline);

    std::size_t mismatches = samples::check_rtl(
        steps, checks, model,
        backend::vectors_from_values(logic, samples::first(test.samples, o.quick ? 100 : test.samples.size()),
                                     input_quantizer),
        "test images", "image");

    samples::prove_pipeline(steps, checks, model);

    std::optional<SynthReport> synth = samples::synthesis_step(steps, model, o.quick);
    fmt::print(
        "\n{}\nCNN accuracy_float={:.4f} accuracy_fixed={:.4f} verilator_mismatches={} adders={} "
        "luts={} ffs={} latency_cycles={}\n",
        steps.table(), rec.accuracy_float, acc_fixed, mismatches, adders, synth ? synth->lut : -1,
        synth ? synth->ff : -1, model.latency());
    return checks.all_passed() ? 0 : 1;
} catch (const fixvar::Error& e) {
    fmt::print(stderr, "digits_cnn: {}\n", e.what());
    return 2;
}
