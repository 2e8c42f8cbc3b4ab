// The main demo, the whole flow in one main(): trace a quantized MLP (16 -> 32 -> 16 -> 5, a
// jet-tagger shape) with heterogeneous input formats, let the CMVM optimizer turn its constant
// matrix products into adder graphs, run the bit-exact interpreter, emit Verilog (combinational
// and pipelined) and prove the RTL bit-exact with Verilator.
#include <chrono>
#include <cstdio>
#include <random>

#include <fixvar/backend/verilog.hpp>
#include <fixvar/fixvar.hpp>

using namespace fixvar;

namespace {

// Deterministic "trained" weights: small dyadic values, ~30% zeros, like an HGQ layer.
FixedVariableArray weights(std::mt19937& rng, std::int64_t n, std::int64_t m) {
    std::uniform_int_distribution<int> mant(-15, 15), exp(-4, -1), zero(0, 9);
    std::vector<double> w;
    for (std::int64_t j = 0; j < n * m; ++j)
        w.push_back(zero(rng) < 3 ? 0.0 : std::ldexp(mant(rng), exp(rng)));
    return constant(w, {n, m});
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
    std::mt19937 rng(7);
    auto t0 = std::chrono::steady_clock::now();

    // 16 inputs, each with its own format (as HGQ trains them).
    std::vector<kif> formats;
    for (int j = 0; j < 16; ++j) formats.push_back(kif{1, 2 + j % 3, 3 + j % 2});
    FixedVariableArray x = input({16}, FormatArray(formats));

    FixedVariableArray h = quantize(relu(dense(x, weights(rng, 16, 32))), kif{0, 4, 2}, Round::RND, Overflow::SAT);
    h = quantize(relu(dense(h, weights(rng, 32, 16))), kif{0, 4, 2}, Round::RND, Overflow::SAT);
    FixedVariableArray logits = dense(h, weights(rng, 16, 5));
    FixedVariableArray label = argmax(logits);
    CombLogic logic = comb_trace({x}, {logits, label});
    std::printf("traced in %.2f s: %s\n", seconds_since(t0), logic.summary().c_str());
    const ExactRange& r0 = logic.output_range(0);
    std::printf("logits[0]: exact range [%s, %s], format %s\n", exact_decimal(r0.lo, r0.exp).c_str(),
                exact_decimal(r0.hi, r0.exp).c_str(), to_string(r0.minimal_kif()).c_str());

    // Bit-exact interpreter on a few samples.
    std::vector<std::vector<double>> samples;
    for (int s = 0; s < 4; ++s) {
        std::vector<double> v;
        for (int j = 0; j < 16; ++j) v.push_back(std::ldexp(int(rng() % 17) - 8, -(3 + j % 2)));
        samples.push_back(v);
    }
    auto out = logic.predict(samples);
    for (std::size_t s = 0; s < out.size(); ++s) {
        std::printf("sample %zu: logits", s);
        for (int c = 0; c < 5; ++c) std::printf(" %8.4f", out[s][std::size_t(c)]);
        std::printf("  -> class %g\n", out[s][5]);
    }

    // Verilog: combinational and pipelined, both verified against the interpreter.
    for (double cutoff : {0.0, 8.0}) {
        std::string name = cutoff > 0 ? "mlp_pipelined" : "mlp";
        VerilogOptions options;
        options.latency_cutoff = cutoff;
        VerilogModel model(logic, name, "out/" + name, options);
        model.write();
        t0 = std::chrono::steady_clock::now();
        model.compile();
        auto result = model.verify(model.test_vectors(2000, 11));
        std::printf("%s: out/%s/%s.v, latency %d cycles, Verilator build+run %.1f s: %s\n",
                    name.c_str(), name.c_str(), name.c_str(), model.latency(), seconds_since(t0),
                    result.message.c_str());
        if (!result.ok) return 1;
    }
    return 0;
}
