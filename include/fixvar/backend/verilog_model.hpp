#pragma once
// VerilogModel: a traced circuit as a Verilog module (verilog_module.hpp) on disk, simulated
// and verified bit-exactly with Verilator.
//
//   fixvar::VerilogModel model(logic, "mlp", "out/mlp", {.latency_cutoff = 5});
//   model.write();                       // out/mlp/mlp.v, mlp.json, harness files
//   model.compile();                     // verilate + build (Error if Verilator is missing)
//   auto y = model.predict(samples);     // RTL simulation, one sample per clock
//   auto r = model.verify(model.test_vectors(1000, 7));  // vs logic.predict, every bit
//   if (!r.ok) std::puts(r.message.c_str());
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/verilator.hpp>
#include <fixvar/trace/comb_logic.hpp>

namespace fixvar::backend {

/// Input mantissas (batch x inputs, row-major, at each port's exponent).
struct Vectors {
    std::vector<i128> mantissas;
    std::size_t batch = 0;
};

/// Uniformly random mantissas over every input port's range (fixed seed: reproducible).
Vectors random_vectors(const CombLogic& logic, std::size_t batch, std::uint64_t seed);
/// Range corners of every port: min, max, zero, +-1 step around them; all ports at the same
/// corner, then each port at each corner with the others random.
Vectors corner_vectors(const CombLogic& logic, std::uint64_t seed);
/// User data: values converted exactly to mantissas (Error if one is not representable in its
/// port), or quantized to the port formats with `quantize` (as CombLogic::predict does).
Vectors vectors_from_values(const CombLogic& logic, const std::vector<std::vector<double>>& samples,
                            std::optional<QuantizeInputs> quantize = std::nullopt);

struct VerifyResult {
    bool ok = true;
    std::size_t samples = 0;             ///< samples checked
    std::size_t mismatched_samples = 0;  ///< samples on which any output differs
    std::size_t mismatched_outputs = 0;  ///< output elements (sample x output) that differ
    // First mismatch (when !ok):
    std::size_t sample = 0, output = 0;
    i128 expected = 0, got = 0;
    std::string message;  ///< one line: "N samples bit-exact" or the first mismatch and the counts
};

/// Compares RTL outputs with the interpreter's, element by element, bit for bit.
VerifyResult compare_outputs(const CombLogic& logic, const Vectors& in, std::span<const i128> rtl,
                             std::string_view what);

/// One design of a batched verification: many circuits share one Verilator build.
struct BatchDesign {
    CombLogic logic;
    std::string name;  ///< module name (distinct within a batch)
    VerilogOptions options;
    Vectors vectors;
};

/// Emits every design, builds them all in ONE Verilator build in `dir`, streams each design's
/// vectors (shorter ones are padded by repetition) and compares with the interpreter.
/// Returns one result per design, in order.
std::vector<VerifyResult> verify_batch(const std::vector<BatchDesign>& designs, const std::filesystem::path& dir,
                                       VerilatorOptions verilator = {});

class VerilogModel {
public:
    VerilogModel(const CombLogic& logic, std::string name, std::filesystem::path dir, VerilogOptions options = {},
                 VerilatorOptions verilator = {});

    /// Writes name.v, name.json and the harness (fixvar_sim_top.v, fixvar_sim_main.cpp,
    /// fixvar_sim_ports.h).
    void write() const;
    /// Verilates and builds the harness in dir/ (Error with the log tail on failure).
    void compile();
    /// RTL outputs (mantissas, batch x outputs) of the given inputs; compiles if needed.
    std::vector<i128> predict_mantissas(const Vectors& in);
    std::vector<std::vector<double>> predict(const std::vector<std::vector<double>>& samples,
                                             std::optional<QuantizeInputs> quantize = std::nullopt);
    /// RTL vs logic.predict on every output bit; streams one sample per clock. Float samples
    /// are exact by default, or quantized to the port formats with `quantize`.
    VerifyResult verify(const Vectors& in);
    VerifyResult verify(const std::vector<std::vector<double>>& samples,
                        std::optional<QuantizeInputs> quantize = std::nullopt);
    /// Corner vectors plus `random` random ones.
    Vectors test_vectors(std::size_t random, std::uint64_t seed) const;

    const VerilogModule& module() const { return module_; }
    const CombLogic& logic() const { return logic_; }
    /// The circuit the RTL computes: logic(), or its graph with sums regrouped by stage
    /// (VerilogOptions::regroup_sums: the same values, other adders), e.g. for the
    /// combinational module a pipeline is proven against.
    CombLogic emitted_logic() const { return module_.regrouped ? CombLogic(*module_.regrouped) : logic_; }
    int latency() const { return module_.latency; }
    const std::filesystem::path& dir() const { return dir_; }
    double build_seconds() const { return sim_.build_seconds(); }

private:
    CombLogic logic_;
    std::filesystem::path dir_;
    VerilogModule module_;
    Simulator sim_;
};

}  // namespace fixvar::backend

namespace fixvar {
using backend::VerilogModel;
using backend::VerilogOptions;
}  // namespace fixvar
