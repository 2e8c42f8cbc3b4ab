#pragma once
// VerilogModule: a traced circuit as one synthesizable Verilog-2001 module -- its text, its
// port layout and its JSON sidecar (emit_verilog, write_verilog). The model that writes,
// simulates and verifies it is verilog_model.hpp.
//
// Port convention (fixed; other tools rely on it):
//   input  wire [N-1:0] inp   -- input elements in comb_trace order, element 0 at the LSBs
//   output wire [M-1:0] out   -- output elements likewise
//   input  wire clk           -- only when pipelined
// Each element is the mantissa of its own minimal kif format (two's complement when k=1,
// unsigned when k=0) in exactly k+i+f bits. A constant-zero output takes no bits. If a bus
// would be empty it is declared one bit wide (inp unused, out tied to 0).
//
// Every node becomes one wire `n<id>` of its exact minimal width and signedness, commented
// with the IR op it computes. Arithmetic is done modulo 2^width of the result: since ranges
// are exact, the low bits of the true value are the value. Nodes whose exact range is a single
// value become constants. Pipelined modules (a cut-off, a latency or a registered boundary in
// the options) place every node in the stage plan_pipeline chooses (pipeline.hpp: the fewest
// register bits). A value read in a later stage t is carried by a shared register chain: rank t
// is `n<id>_r<t>`, holding only the bits that vary and are still read, and `n<id>_p<t>` is the
// value rebuilt from it with its constant bits; views (shifts, free quantizers, bit tests) are
// never registered but rebuilt per stage from their operand's copy. Outputs are read in stage L,
// so the latency is L cycles, II = 1.
//
// Lint: the only waiver is UNUSEDSIGNAL (inline, module-wide): free truncations and quantizers
// deliberately read only some bits of a wire.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fixvar/backend/pipeline.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/wide.hpp>
#include <fixvar/ir/graph.hpp>

namespace fixvar {
class CombLogic;
}

namespace fixvar::backend {

/// How to pipeline: cut-off (levels per stage), latency (cycles), registered boundaries; all
/// unset is combinational. See pipeline.hpp.
using VerilogOptions = PipelineOptions;

/// One element of the flattened `inp` or `out` bus.
struct PortElement {
    kif format;      ///< minimal format; the mantissa sits at exponent -format.f
    int offset = 0;  ///< LSB position in the bus
    int width = 0;   ///< format.width() (0 for a constant-zero output)
};

struct PortLayout {
    std::vector<PortElement> inputs, outputs;
    int in_bits = 0, out_bits = 0;  ///< sums of element widths (the declared bus is >= 1 bit)
    int in_bus() const { return in_bits > 0 ? in_bits : 1; }
    int out_bus() const { return out_bits > 0 ? out_bits : 1; }
};

/// The layout of a graph's ports (independent of the options).
PortLayout port_layout(const ir::Graph& g);

struct VerilogModule {
    std::string name;
    std::string text;  ///< the whole .v file
    PortLayout ports;
    int latency = 0;  ///< cycles from inp to out (0 when combinational)
    bool clocked = false;
    double latency_cutoff = 0;  ///< levels per stage used (0: none)
    /// The placement: boundaries, register bits (the module's flip-flops), each node's stage
    /// and register ranks (of `regrouped` when set).
    Pipeline pipeline;
    /// With VerilogOptions::regroup_sums, when it paid: the graph the module computes, the given
    /// one with sums regrouped by stage (the same values at every output). Null otherwise.
    std::shared_ptr<const ir::Graph> regrouped;
};

/// Throws Error unless `name` is a legal Verilog identifier and not a keyword.
void check_module_name(std::string_view name);

/// The module for graph `g` (its inputs/outputs are the ports). Deterministic: the same graph
/// and options give the same bytes.
VerilogModule emit_verilog(const ir::Graph& g, std::string_view name, const VerilogOptions& options = {});
VerilogModule emit_verilog(const CombLogic& logic, std::string_view name, const VerilogOptions& options = {});

/// The JSON sidecar: name, inputs/outputs (k, i, f, offset, width; "value" for constant-zero
/// outputs), bus widths, latency, II, clocked, latency_cutoff, register_inputs,
/// register_outputs, register_bits.
std::string sidecar_json(const VerilogModule& m);
/// An emitted module read back from its .v file and .json sidecar (ports, latency), e.g. to
/// simulate files written earlier. Error if either is missing or not fixvar's.
VerilogModule read_emitted_module(const std::filesystem::path& verilog_file);
/// The same on the texts of both files; `sidecar_file` names the sidecar in errors.
VerilogModule parse_emitted_module(std::string_view verilog_text, std::string_view sidecar_json,
                                   const std::filesystem::path& sidecar_file = "<sidecar>");
/// Creates `dir` (and its parents) for output; Error naming `op` if it is an existing file or
/// cannot be created.
void make_directory(const std::filesystem::path& dir, const char* op);

/// Writes `verilog_path` (the module) and the sidecar next to it (same stem, .json); the
/// module is named after the file's stem unless `name` is given. For other tools such as
/// `fixvar cmvm --verilog OUT.v`.
VerilogModule write_verilog(const CombLogic& logic, const std::filesystem::path& verilog_path,
                            const VerilogOptions& options = {}, std::string_view name = {});

}  // namespace fixvar::backend
