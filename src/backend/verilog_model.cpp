// VerilogModel and test vectors.
#include <fixvar/core/file.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>

#include <fstream>
#include <random>

namespace fixvar::backend {
namespace {

const ExactRange& input_range(const CombLogic& logic, std::size_t p) {
    return logic.graph()[logic.graph().inputs[p]].range;
}

i128 random_in(std::mt19937_64& rng, i128 lo, i128 hi) {
    u128 span = u128(hi - lo) + 1;  // 0 means the full 2^128 (never: widths <= 120)
    u128 r = (u128(rng()) << 64) | u128(rng());
    return lo + i128(span ? r % span : r);
}

std::vector<i128> corners_of(const ExactRange& r) {
    std::vector<i128> c;
    auto add = [&](i128 v) {
        if (v >= r.lo && v <= r.hi && std::find(c.begin(), c.end(), v) == c.end()) c.push_back(v);
    };
    for (i128 v : {r.lo, r.hi, i128(0)}) {
        add(v);
        add(v + 1);
        add(v - 1);
    }
    return c;
}

std::string show(i128 m, int exp) {
    return fmt::format("{} (mantissa {} at 2^{})", exact_decimal(m, exp), to_string(m), exp);
}

}  // namespace

Vectors random_vectors(const CombLogic& logic, std::size_t batch, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::size_t n = logic.input_count();
    constexpr std::size_t kMaxMantissas = std::size_t(1) << 28;  // 4 GB of 128-bit values
    if (n && batch > kMaxMantissas / n)
        fail("verilog",
             "random_vectors: {} samples x {} inputs is more than 2^28 mantissas at once; "
             "verify in batches",
             batch, n);
    Vectors v{std::vector<i128>(n * batch), batch};
    for (std::size_t s = 0; s < batch; ++s)
        for (std::size_t p = 0; p < n; ++p) {
            const ExactRange& r = input_range(logic, p);
            v.mantissas[s * n + p] = random_in(rng, r.lo, r.hi);
        }
    return v;
}

Vectors corner_vectors(const CombLogic& logic, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::size_t n = logic.input_count();
    std::vector<std::vector<i128>> corners(n);
    std::size_t most = 1;
    for (std::size_t p = 0; p < n; ++p) {
        corners[p] = corners_of(input_range(logic, p));
        most = std::max(most, corners[p].size());
    }
    Vectors v;
    auto sample = [&](std::size_t port, std::size_t corner, bool others_random) {
        for (std::size_t q = 0; q < n; ++q) {
            const ExactRange& r = input_range(logic, q);
            if (q == port || !others_random)
                v.mantissas.push_back(corners[q][corner % corners[q].size()]);
            else
                v.mantissas.push_back(random_in(rng, r.lo, r.hi));
        }
        ++v.batch;
    };
    for (std::size_t c = 0; c < most; ++c) sample(n, c, false);
    if (n > 1)
        for (std::size_t p = 0; p < n; ++p)
            for (std::size_t c = 0; c < corners[p].size(); ++c) sample(p, c, true);
    return v;
}

Vectors vectors_from_values(const CombLogic& logic, const std::vector<std::vector<double>>& samples,
                            std::optional<QuantizeInputs> quantize) {
    return Vectors{logic.input_mantissas(samples, quantize, "verilog"), samples.size()};
}

VerifyResult compare_outputs(const CombLogic& logic, const Vectors& in, std::span<const i128> rtl,
                             std::string_view what) {
    // Checked: the reference also proves every node stays within its exact range.
    std::vector<i128> ref = logic.predict_mantissas(in.mantissas, in.batch, 1, ir::RangeCheck::every_node);
    std::size_t n_out = logic.output_count(), n_in = logic.input_count();
    VerifyResult r;
    r.samples = in.batch;
    if (rtl.size() != ref.size())
        fail(what, "{} RTL output mantissas for {} samples x {} outputs (expected {})", rtl.size(), in.batch, n_out,
             ref.size());
    for (std::size_t s = 0; s < in.batch; ++s) {
        bool sample_differs = false;
        for (std::size_t j = 0; j < n_out; ++j) {
            std::size_t at = s * n_out + j;
            if (rtl[at] == ref[at]) continue;
            ++r.mismatched_outputs;
            sample_differs = true;
            if (!r.ok) continue;  // the message shows the first mismatch
            r.ok = false;
            r.sample = s;
            r.output = j;
            r.expected = ref[at];
            r.got = rtl[at];
            int e = logic.output_range(j).exp;
            std::string inputs;
            for (std::size_t p = 0; p < n_in && p < 16; ++p)
                inputs += fmt::format("{}{}", p ? ", " : "",
                                      exact_decimal(in.mantissas[s * n_in + p], input_range(logic, p).exp));
            r.message = fmt::format("{}: sample {}, output {}: RTL gives {}, the interpreter {}; inputs [{}{}]", what,
                                    s, j, show(r.got, e), show(r.expected, e), inputs, n_in > 16 ? ", ..." : "");
        }
        r.mismatched_samples += sample_differs;
    }
    if (r.ok)
        r.message = fmt::format("{}: {} samples x {} outputs bit-exact", what, in.batch, n_out);
    else
        r.message +=
            fmt::format("; {} of {} samples differ ({} outputs)", r.mismatched_samples, in.batch, r.mismatched_outputs);
    return r;
}

std::vector<VerifyResult> verify_batch(const std::vector<BatchDesign>& designs, const std::filesystem::path& dir,
                                       VerilatorOptions verilator) {
    std::vector<VerilogModule> modules;
    std::size_t samples = 1;
    for (const BatchDesign& d : designs) {
        modules.push_back(emit_verilog(d.logic, d.name, d.options));
        samples = std::max(samples, d.vectors.batch);
    }
    Simulator sim(modules, dir, std::move(verilator));
    sim.build();
    std::vector<std::vector<std::uint32_t>> inputs;
    for (std::size_t k = 0; k < designs.size(); ++k) {
        const BatchDesign& d = designs[k];
        std::size_t n = d.logic.input_count();
        std::vector<i128> m(samples * n);
        for (std::size_t s = 0; s < samples && d.vectors.batch; ++s)
            for (std::size_t p = 0; p < n; ++p) m[s * n + p] = d.vectors.mantissas[(s % d.vectors.batch) * n + p];
        inputs.push_back(pack_bus(modules[k].ports.inputs, modules[k].ports.in_bus(), m, samples));
    }
    auto outputs = sim.run(inputs, samples);
    std::vector<VerifyResult> results;
    for (std::size_t k = 0; k < designs.size(); ++k) {
        const BatchDesign& d = designs[k];
        const PortLayout& p = modules[k].ports;
        std::size_t nw = bus_words(p.out_bus());
        std::span<const std::uint32_t> mine(outputs[k].data(), nw * d.vectors.batch);
        std::vector<i128> rtl = unpack_bus(p.outputs, p.out_bus(), mine, d.vectors.batch);
        results.push_back(compare_outputs(d.logic, d.vectors, rtl, d.name));
    }
    return results;
}

VerilogModel::VerilogModel(const CombLogic& logic, std::string name, std::filesystem::path dir, VerilogOptions options,
                           VerilatorOptions verilator)
    : logic_(logic),
      dir_(std::move(dir)),
      module_(emit_verilog(logic, name, options)),
      sim_({module_}, dir_, std::move(verilator)) {}

void VerilogModel::write() const {
    sim_.write();
    write_file(dir_ / (module_.name + ".json"), sidecar_json(module_), "verilog");
}

void VerilogModel::compile() {
    write();
    sim_.build();
}

std::vector<i128> VerilogModel::predict_mantissas(const Vectors& in) {
    if (!sim_.built()) compile();
    const PortLayout& p = module_.ports;
    auto words = pack_bus(p.inputs, p.in_bus(), in.mantissas, in.batch);
    auto out = sim_.run({words}, in.batch);
    return unpack_bus(p.outputs, p.out_bus(), out[0], in.batch);
}

std::vector<std::vector<double>> VerilogModel::predict(const std::vector<std::vector<double>>& samples,
                                                       std::optional<QuantizeInputs> quantize) {
    Vectors in = vectors_from_values(logic_, samples, quantize);
    return logic_.output_values(predict_mantissas(in), in.batch, "verilog predict");
}

VerifyResult VerilogModel::verify(const Vectors& in) {
    std::vector<i128> rtl = predict_mantissas(in);
    return compare_outputs(logic_, in, rtl, module_.name);
}

VerifyResult VerilogModel::verify(const std::vector<std::vector<double>>& samples,
                                  std::optional<QuantizeInputs> quantize) {
    return verify(vectors_from_values(logic_, samples, quantize));
}

Vectors VerilogModel::test_vectors(std::size_t random, std::uint64_t seed) const {
    Vectors v = corner_vectors(logic_, seed);
    Vectors r = random_vectors(logic_, random, seed + 1);
    v.mantissas.insert(v.mantissas.end(), r.mantissas.begin(), r.mantissas.end());
    v.batch += r.batch;
    return v;
}

}  // namespace fixvar::backend
