// static_digits: the trained digits MLP (samples/digits_mlp, model beta_1e-5) written with the
// compile-time layer. Its weights and quantizer formats are not typed in: the build runs
// `fixvar embed` on the HGQ export (fixvar_embed_weights in samples/CMakeLists.txt), so the
// trained model itself is a constexpr header, digits_weights.hpp:
//   digits::w0, b0, w_out, b_out   fixvar::weights (every weight checked on its grid 2^-f)
//   digits::input, a0              fixvar::formats (per-element kif of the input / activation)
// Every layer's per-element format is computed while this file compiles, a bit budget guards
// the logits, and the program checks the circuit against digits_mlp's (traced from the same
// .npy files at run time): same output formats, bit-exact outputs on the 450 test images, the
// recorded accuracy 0.9511.
#include <cstdio>

#include <fixvar/fixvar.hpp>
#include <fixvar/io/hgq.hpp>
#include <fixvar/static.hpp>

#include "../common/flow.hpp"
#include "digits_weights.hpp"

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

// The logits' exact width: the widest of the 10 per-element formats (what the output port needs).
constexpr int logit_bits = 13;

// The network with static types: 64 pixels -> dense 16 -> relu -> trained quantizer -> dense 10.
struct StaticMlp {
    CombLogic logic;
    std::vector<kif> logit_formats;
};

StaticMlp trace_static() {
    new_trace();
    auto x = sarray_input<digits::input>();  // each pixel in its trained format
    auto a0 = dense<digits::w0, digits::b0>(x);
    auto h0 = quantize<digits::a0, Round::TRN, Overflow::SAT>(relu(a0));
    auto logits = require_width<logit_bits>(dense<digits::w_out, digits::b_out>(h0));
    // require_width<12>(dense<digits::w_out, digits::b_out>(h0));  // does not compile:
    //   error: static assertion failed: require_width<Budget>(x): x's element format (shown with
    //   its width) is wider than the bit budget  [width_exceeds_budget<12, 13, fx_lin<...>>]
    using L = format_t<decltype(logits)>;
    static_assert(width_v<decltype(logits)> == logit_bits, "logit_bits is the exact width");
    static_assert(std::is_same_v<decltype(logits), sarray<L, 10>>);
    std::vector<kif> formats;
    for (std::size_t j = 0; j < 10; ++j) formats.push_back(rules::minimal_kif(L::at(j)));
    std::printf("static formats: hidden %s (hull), logits %s (hull), widest logit %d bits\n",
                to_string(kif_v<decltype(h0)>).c_str(), to_string(kif_v<decltype(logits)>).c_str(),
                width_v<decltype(logits)>);
    return {comb_trace({x}, {logits, argmax(logits.array())}), formats};
}

// digits_mlp's circuit: the same model traced from the .npy files at run time.
CombLogic trace_dynamic(const fs::path& dir) {
    new_trace();
    hgq::Model m = hgq::load_model(dir);
    const hgq::Layer& l0 = m.hidden.at(0);
    FixedVariableArray x = input({64}, format_array(m.input));
    FixedVariableArray h = quantize(relu(dense(x, constant(l0.weights), constant(l0.bias))),
                                    format_array(*l0.activation), Round::TRN, Overflow::SAT);
    FixedVariableArray logits = dense(h, constant(m.out.weights), constant(m.out.bias));
    return comb_trace({x}, {logits, argmax(logits)});
}

}  // namespace

int main() {
    const fs::path data = DIGITS_MLP_DATA;
    samples::Checks checks;
    StaticMlp s = trace_static();
    CombLogic dynamic = trace_dynamic(data / "beta_1e-5");
    std::printf("%s\n", s.logic.summary().c_str());

    bool same_formats = true;
    for (std::size_t j = 0; j < 10; ++j)
        same_formats = same_formats && s.logit_formats[j] == dynamic.output_range(j).minimal_kif();
    checks.require(same_formats, "every logit's static format == digits_mlp's traced one");

    samples::LabelledData test = samples::load_labelled(data / "x_test.npy", data / "y_test.npy");
    const QuantizeInputs input_quantizer{Round::RND, Overflow::SAT};  // as digits_mlp feeds images
    auto out_static = s.logic.predict(test.samples, input_quantizer);
    auto out_dynamic = dynamic.predict(test.samples, input_quantizer);
    std::size_t differ = 0;
    for (std::size_t j = 0; j < test.samples.size(); ++j) differ += out_static[j] != out_dynamic[j];
    checks.require(differ == 0, fmt::format("bit-exact with digits_mlp's circuit on {} test images "
                                            "({} differ)",
                                            test.samples.size(), differ));
    double acc = samples::accuracy(out_static, 10, test.labels);
    samples::Recorded rec = samples::read_recorded(data / "beta_1e-5" / "metrics.json");
    checks.require(std::abs(acc - rec.accuracy_framework) <= 1e-3,
                   fmt::format("accuracy {:.4f} == the framework's {:.4f}", acc, rec.accuracy_framework));
    std::printf("static_digits: %s\n", checks.all_passed() ? "all checks passed" : "CHECK FAILED");
    return checks.all_passed() ? 0 : 1;
}
