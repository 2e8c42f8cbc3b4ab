// jet_tagger: a resource benchmark on the architecture of the well-known jet-substructure tagger
// (16 -> 64 -> 32 -> 32 -> 5, ReLU), with sparse, heterogeneous per-weight formats as HGQ
// trains them. The real data set is not available here, so weights, formats and data are drawn
// from a fixed seed:
//   - each weight is pruned (0) with probability 0.6, else a float drawn N(0, 1/n_in) rounded
//     (RND) to its own number of fractional bits f in 2..6 (small ones round to 0 as well);
//   - each input feature has its own format kif(1, i, f), i in 2..3, f in 3..6; each hidden
//     neuron a ReLU + quantize kif(0, 4, f), f in 3..5 (TRN, SAT);
//   - labelled synthetic data: inputs from five Gaussian clusters, each labelled with the
//     class of the same network in float (no input or activation quantization), so the
//     fixed-point circuit's accuracy is what the activation formats cost.
// Reports adders, LUTs, FFs, latency, and the time of CMVM (tracing) and of synthesis.
//   jet_tagger [--quick] [--out DIR] [--latency CYCLES] [--cutoff LEVELS]
//   (--quick, used by CI: 200 samples through Verilator, no synthesis)
// Exit code 0 only if every CHECK passed.
#include <cmath>
#include <random>

#include <CLI/CLI.hpp>

#include <fixvar/fixvar.hpp>

#include "../common/flow.hpp"

using namespace fixvar;

namespace {

constexpr std::uint32_t seed = 1604;
const std::vector<std::int64_t> layer_sizes = {16, 64, 32, 32, 5};

struct Layer {
    std::vector<double> w;        // n_in x n_out, row-major, each on its own grid 2^-f
    std::vector<kif> activation;  // per output neuron (empty for the last layer)
    std::int64_t n_in = 0, n_out = 0;
};

struct Network {
    std::vector<kif> input_formats;
    std::vector<Layer> layers;
};

Network draw_network(std::mt19937& rng) {
    Network net;
    std::uniform_int_distribution<int> in_i(2, 3), in_f(3, 6), w_f(2, 6), act_f(3, 5);
    std::bernoulli_distribution pruned(0.6);
    for (int j = 0; j < layer_sizes[0]; ++j) net.input_formats.push_back(kif{1, in_i(rng), in_f(rng)});
    for (std::size_t l = 0; l + 1 < layer_sizes.size(); ++l) {
        Layer layer;
        layer.n_in = layer_sizes[l];
        layer.n_out = layer_sizes[l + 1];
        std::normal_distribution<double> weight(0, 1 / std::sqrt(double(layer.n_in)));
        for (std::int64_t j = 0; j < layer.n_in * layer.n_out; ++j) {
            double w = weight(rng);
            int f = w_f(rng);
            if (pruned(rng)) w = 0;
            layer.w.push_back(std::ldexp(std::floor(std::ldexp(w, f) + 0.5), -f));
        }
        if (l + 2 < layer_sizes.size())
            for (std::int64_t o = 0; o < layer.n_out; ++o) layer.activation.push_back(kif{0, 4, act_f(rng)});
        net.layers.push_back(std::move(layer));
    }
    return net;
}

// Five Gaussian clusters in 16-D (feature scale ~2), labelled by the float network.
samples::LabelledData draw_data(const Network& net, std::mt19937& rng, std::size_t n) {
    std::normal_distribution<double> unit(0, 1);
    std::vector<std::vector<double>> centres(5, std::vector<double>(16));
    for (auto& c : centres)
        for (double& v : c) v = 1.5 * unit(rng);
    samples::LabelledData data;
    for (std::size_t s = 0; s < n; ++s) {
        std::vector<double> x = centres[s % 5];
        for (double& v : x) v += 0.7 * unit(rng);
        std::vector<double> h = x;  // float network: the same weights, float inputs and ReLUs
        for (const Layer& layer : net.layers) {
            std::vector<double> y(std::size_t(layer.n_out), 0.0);
            for (std::int64_t i = 0; i < layer.n_in; ++i)
                for (std::int64_t o = 0; o < layer.n_out; ++o)
                    y[std::size_t(o)] += h[std::size_t(i)] * layer.w[std::size_t(i * layer.n_out + o)];
            if (!layer.activation.empty())
                for (double& v : y) v = std::max(v, 0.0);
            h = y;
        }
        data.labels.push_back(int(std::max_element(h.begin(), h.end()) - h.begin()));
        data.samples.push_back(std::move(x));
    }
    return data;
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"jet_tagger: the jet-tagger architecture with sparse HGQ-style formats, to LUTs"};
    samples::FlowOptions o{.pipeline = {.latency = 9}};  // cut-off: the smallest for 9 cycles
    samples::add_flow_options(app, o);
    CLI11_PARSE(app, argc, argv);
    samples::Steps steps(6);
    samples::Checks checks;
    std::mt19937 rng(seed);
    fmt::print("seed {}\n", seed);

    steps.start("trace 16 -> 64 -> 32 -> 32 -> 5 (CMVM on every dense layer)");
    Network net = draw_network(rng);
    std::size_t nonzero = 0, total = 0;
    FixedVariableArray x = input({16}, FormatArray(net.input_formats));
    FixedVariableArray h = x;
    for (const Layer& layer : net.layers) {
        h = dense(h, constant(layer.w, {layer.n_in, layer.n_out}));
        if (!layer.activation.empty()) h = quantize(relu(h), FormatArray(layer.activation), Round::TRN, Overflow::SAT);
        for (double w : layer.w) nonzero += w != 0;
        total += layer.w.size();
    }
    CombLogic logic = comb_trace({x}, {h, argmax(h)});
    std::size_t adders = logic.stats().adders();
    steps.done(fmt::format("{}/{} weights nonzero, {} adders; {}", nonzero, total, adders, logic.summary()));

    steps.start("accuracy on labelled synthetic data (bit-exact interpreter)");
    samples::LabelledData data = draw_data(net, rng, o.quick ? 200 : 2000);
    const QuantizeInputs input_quantizer{Round::RND, Overflow::SAT};  // float features in
    double agreement = samples::accuracy(logic.predict(data.samples, input_quantizer), 5, data.labels);
    steps.done(
        fmt::format("fixed-point class == float network's on {:.4f} of {} samples", agreement, data.samples.size()));
    checks.require(agreement >= 0.8, "the quantized circuit mostly agrees with the float network");

    VerilogModel model = samples::write_pipelined(steps, logic, "jet_tagger", o.out / "jet_tagger", o.pipeline);

    samples::check_rtl(steps, checks, model, backend::vectors_from_values(logic, data.samples, input_quantizer),
                       "samples", "sample");

    samples::prove_pipeline(steps, checks, model);

    std::optional<SynthReport> synth = samples::synthesis_step(steps, model, o.quick);
    fmt::print("\n{}\nJET adders={} luts={} ffs={} latency_cycles={} cmvm_seconds={:.2f} synth_seconds={:.2f}\n",
               steps.table(), adders, synth ? synth->lut : -1, synth ? synth->ff : -1, model.latency(),
               steps.seconds("trace 16 -> 64 -> 32 -> 32 -> 5 (CMVM on every dense layer)"),
               synth ? synth->seconds : 0.0);
    return checks.all_passed() ? 0 : 1;
} catch (const fixvar::Error& e) {
    fmt::print(stderr, "jet_tagger: {}\n", e.what());
    return 2;
}
