#pragma once
// Formal equivalence of two modules with the same ports (Yosys miter + SAT), and the
// simulation fallback for designs SAT cannot handle.
//
//   auto r = fixvar::equiv("a.v", "b.v", {.timeout_seconds = 60});
//   if (r.status == fixvar::EquivStatus::different) puts(r.counterexample.text().c_str());
//
// Both are read flat and unoptimized (Yosys' `opt` would merge a clamp or a constant into a
// register, making $sdff/$dffe of plain registers), a pipeline's registers become wires (what is
// left is its function f), and the miter goes to ABC: structural hashing settles a pipeline
// against its own combinational module whatever its size (the same operators on both sides),
// SAT sweeping (`iprove`) settles what hashing leaves. For B fixvar also checks its netlist,
// bit by bit through the registers: every input-bit-to-output-bit path must cross exactly L
// plain registers on one clock (constant bits carry none). Then B's output at cycle t is f(input
// at t - L) for every input sequence, so "f == A" proves B == A delayed by L (II = 1). A B whose
// paths cross different numbers of registers (or has loops, resets, enables, other register
// kinds) gets `unknown`, never `proven`.
//
// SAT sweeping two different structures (an adder graph against a multiply-accumulate) does not
// scale past a few hundred adders (DESIGN.md §9): combinational pairs above `max_sat_adders`
// that structural hashing does not settle are not attempted (status unknown, message says so);
// use equiv_simulate, which reports "not proven; N vectors agree". Measured (2 cores, Yosys
// 0.23): digits_mlp (295 adders, latency 6) 4.5 s, jet_tagger (1,256 adders, latency 11) 38 s.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fixvar::backend {

class VerilogModel;

enum class EquivStatus { proven, different, unknown };
std::string_view to_string(EquivStatus s);

/// One signal of a counterexample: its name and value (binary, MSB first).
struct SignalValue {
    std::string name, bits;
    int step = 0;  ///< clock step (1-based) for a clocked check, 0 when combinational
};

struct Counterexample {
    std::vector<SignalValue> inputs, outputs_a, outputs_b;
    std::string text() const;  ///< a readable table (hex)
};

struct EquivOptions {
    std::string top_a, top_b;        ///< empty: the only module / the file's stem
    double timeout_seconds = 60;     ///< the SAT solver's limit (whole seconds, >= 1); past it: unknown
    int latency = -1;                ///< B's pipeline latency; -1: B's sidecar .json, else 0
    long max_sat_adders = 400;       ///< larger combinational pairs not settled by hashing: no SAT (unknown)
    std::string yosys;               ///< executable; empty: $FIXVAR_YOSYS or `yosys` on PATH
    std::filesystem::path work_dir;  ///< empty: a fresh directory under the temp dir (models: B's dir/equiv)
};

struct EquivResult {
    EquivStatus status = EquivStatus::unknown;
    std::string method;             ///< "structural hashing (ABC)", "ABC iprove (SAT sweeping)", either with
                                    ///< ", pipeline II=1, latency L: ...", "simulation (N vectors, Verilator)", "none"
    std::string message;            ///< one line, what was shown and how
    Counterexample counterexample;  ///< when different
    double seconds = 0;
    std::filesystem::path log_path;
};

/// A against B (see the header comment). Error: missing file/module/Yosys, ports that differ,
/// an A that holds state, a B whose one register count is not `latency`, a script failure
/// (with the log's relevant lines).
EquivResult equiv(const std::filesystem::path& a, const std::filesystem::path& b, const EquivOptions& options = {});
/// Two models (e.g. the combinational and the pipelined emission of one circuit): files are
/// written if needed; B's latency is its module's.
EquivResult equiv(const VerilogModel& a, const VerilogModel& b, const EquivOptions& options = {});

/// The fallback for large designs: both models simulated with Verilator (one build) on range
/// corners plus `random` random vectors of A's inputs, every output bit compared. Status is
/// `different` (with the first disagreeing sample) or `unknown` with the message
/// "not proven; N vectors agree" — simulation never proves.
EquivResult equiv_simulate(const VerilogModel& a, const VerilogModel& b, std::size_t random, std::uint64_t seed,
                           const std::filesystem::path& dir);

}  // namespace fixvar::backend

namespace fixvar {
using backend::equiv;
using backend::EquivOptions;
using backend::EquivResult;
using backend::EquivStatus;
}  // namespace fixvar

namespace fixvar::backend {
struct VerilogModule;
/// equiv_simulate on modules (random bits on every input element: any bit pattern of a port
/// element is in its format's range).
EquivResult equiv_simulate(const VerilogModule& a, const VerilogModule& b, std::size_t random, std::uint64_t seed,
                           const std::filesystem::path& dir);
}  // namespace fixvar::backend
