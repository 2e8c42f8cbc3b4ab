#pragma once
// Verilator: locating it, and one build that simulates many emitted modules at once.
//
// A `Simulator` wraps every module in a top `fixvar_sim_top` (ports inp_<d>/out_<d>, one
// shared clk), verilates it with `-Wall` (so each build is also a lint check) and builds a C++
// harness (src/backend/harness/fixvar_sim_main.cpp in fixvar's sources) that streams hex
// vectors from stdin to stdout. One build therefore serves any number of vectors, and any
// number of designs: the Verilator runtime (~9 s to compile) is paid once per build, and
// OBJCACHE=ccache is used when available.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <fixvar/backend/verilog_module.hpp>

namespace fixvar::backend {

struct VerilatorOptions {
    /// Path of `verilator`; empty: $FIXVAR_VERILATOR, else `verilator` on PATH.
    std::string verilator;
    int jobs = 2;           ///< parallel compile jobs of the harness build
    bool lint_wall = true;  ///< verilate with -Wall (warnings are fatal)
};

/// The verilator executable to run; Error naming what to install/set if there is none.
std::filesystem::path find_verilator(const std::string& hint = {});

/// One sample's bus as 32-bit words, lowest first (packed element by element, port layout).
std::size_t bus_words(int bits);
/// Packs batch x elements mantissas (two's complement / unsigned per element) into words.
std::vector<std::uint32_t> pack_bus(const std::vector<PortElement>& elements, int bus_bits,
                                    std::span<const i128> mantissas, std::size_t batch);
/// Inverse of pack_bus (signed elements are sign-extended; constant-zero elements give 0).
std::vector<i128> unpack_bus(const std::vector<PortElement>& elements, int bus_bits,
                             std::span<const std::uint32_t> words, std::size_t batch);

class Simulator {
public:
    /// Module names must be distinct (and not `fixvar_sim_top`).
    Simulator(std::vector<VerilogModule> modules, std::filesystem::path dir, VerilatorOptions options = {});

    /// Writes the modules, the top wrapper and the harness into dir (no Verilator needed).
    void write() const;
    /// write(), then verilate and build. Error with the build log's tail on failure.
    void build();
    bool built() const { return built_; }

    /// inputs[d]: `samples` packed input buses of module d (pack_bus). Every module sees its
    /// sample j at step j (one per clock); outputs are realigned by each module's latency.
    /// Returns outputs[d]: `samples` packed output buses.
    std::vector<std::vector<std::uint32_t>> run(const std::vector<std::vector<std::uint32_t>>& inputs,
                                                std::size_t samples) const;

    const std::vector<VerilogModule>& modules() const { return modules_; }
    const std::filesystem::path& dir() const { return dir_; }
    double build_seconds() const { return build_seconds_; }

private:
    std::vector<VerilogModule> modules_;
    std::filesystem::path dir_;
    VerilatorOptions options_;
    bool built_ = false;
    double build_seconds_ = 0;
};

}  // namespace fixvar::backend
