// Formal equivalence with a Yosys miter + SAT, and the Verilator simulation fallback.
#include <fixvar/core/file.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/equiv.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilator.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/backend/yosys.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include "backend/register_stages.hpp"
#include "backend/sidecar.hpp"

#include <atomic>
#include <cstring>
#include <map>
#include <set>
#include <random>
#include <regex>
#include <sstream>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fixvar::backend {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using detail::register_stages;
using detail::Stages;

std::string quoted(const fs::path& p) {
    std::string s = fs::absolute(p).string();
    if (s.find('"') != std::string::npos) fail("equiv", "path '{}' contains a quote, which Yosys cannot read", s);
    return "\"" + s + "\"";
}

std::string pick_top(const fs::path& file, const std::string& requested) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) fail("equiv", "Verilog file '{}' does not exist", file.string());
    std::vector<std::string> modules = verilog_modules(file);
    std::string list;
    for (auto& m : modules) list += (list.empty() ? "" : ", ") + m;
    for (auto& m : modules)
        if (m == requested) return m;
    if (!requested.empty())
        fail("equiv", "'{}' defines no module '{}' (it defines: {})", file.string(), requested, list);
    if (modules.size() == 1) return modules[0];
    for (auto& m : modules)
        if (m == file.stem().string()) return m;
    fail("equiv", "'{}' defines {} modules ({}); name the one to compare (--top-a/--top-b)", file.string(),
         modules.size(), list.empty() ? "none" : list);
}

/// Arithmetic operators in a file: a rough adder count (a constant multiply counts as 4).
long arithmetic_ops(const fs::path& file) {
    std::string text = read_file(file, "equiv");
    long n = 0;
    for (std::size_t j = 1; j + 1 < text.size(); ++j)
        if (text[j - 1] == ' ' && text[j + 1] == ' ')
            n += text[j] == '+' || text[j] == '-' ? 1 : text[j] == '*' ? 4 : 0;
    return n;
}

/// Bus width of port `name` declared as `input|output wire [H:0] name` (fixvar's convention).
int port_bits(const fs::path& file, const std::string& name) {
    std::regex decl("(input|output)\\s+(wire|reg)?\\s*(signed\\s+)?\\[(\\d+):0\\]\\s*" + name + "\\b");
    std::string text = read_file(file, "equiv");
    std::smatch m;
    if (!std::regex_search(text, m, decl))
        fail("equiv",
             "'{}' has no port '{}' declared as [N:0]; pipelined equivalence needs fixvar's ports "
             "(inp, out, clk)",
             file.string(), name);
    return std::stoi(m[4].str()) + 1;
}

/// A with a clk port (unused), so its ports match a pipeline's.
std::string clk_wrapper(const std::string& top, int in_bits, int out_bits) {
    return fmt::format(
        "module fixvar_equiv_with_clk (input wire clk, input wire [{}:0] inp, output wire [{}:0] out);\n"
        "  {} comb (.inp(inp), .out(out));\nendmodule\n",
        in_bits - 1, out_bits - 1, top);
}

bool port_declared(const fs::path& file, const std::string& name) {
    std::regex decl("input\\s+(wire\\s+)?" + name + "\\b");
    std::string text = read_file(file, "equiv");
    return std::regex_search(text, decl);
}

/// Reads a design and makes it one flat module named `as`, with no optimization at all: `opt`
/// would merge a saturation mux or a constant into a register ($sdff, $dffe...) and hide the
/// plain registers the stage check understands. The JSON is the netlist that check reads; for
/// B it is the very netlist proven after its registers become wires.
std::string prepare(const std::string& reads, const std::string& top, const char* as, bool registers_to_wires) {
    return fmt::format(
        "{}hierarchy -check -top {}\nproc\nflatten\nrename {} {}\nopt_clean\nwrite_json {}.json\n{}"
        "design -stash {}\n",
        reads, top, top, as, as, registers_to_wires ? "techmap -map dff_to_wire.v t:$dff\n" : "", as);
}

/// Techmap turning every $dff into a wire: what is left of a pipeline is its function.
constexpr const char* kDffToWire = R"(
(* techmap_celltype = "$dff" *)
module _fixvar_dff_to_wire (CLK, D, Q);
  parameter WIDTH = 1;
  parameter CLK_POLARITY = 1;
  input CLK;
  input [WIDTH-1:0] D;
  output [WIDTH-1:0] Q;
  assign Q = D;
endmodule
)";

/// The "Signal Name / Dec / Hex / Bin" table Yosys prints for a model (with a Time column
/// when sequential).
Counterexample parse_counterexample(const std::string& log) {
    Counterexample cx;
    std::istringstream in(log);
    std::string line;
    bool table = false;
    while (std::getline(in, line)) {
        if (line.find("Signal Name") != std::string::npos) {
            table = true;
            continue;
        }
        if (!table || line.find("----") != std::string::npos) continue;
        std::istringstream row(line);
        std::vector<std::string> f;
        for (std::string w; row >> w;) f.push_back(w);
        if (f.empty()) {
            if (!cx.inputs.empty()) break;
            continue;
        }
        SignalValue v;
        std::size_t at = 0;
        if (std::isdigit((unsigned char)f[0][0]) && f.size() >= 5) v.step = std::stoi(f[0]), at = 1;
        if (f.size() < at + 2 || f[at][0] != '\\') continue;
        std::string name = f[at].substr(1);
        v.bits = f.back();
        auto strip = [&](const char* prefix) {
            std::size_t n = std::strlen(prefix);
            if (name.rfind(prefix, 0) != 0) return false;
            v.name = name.substr(n);
            return true;
        };
        if (strip("in_"))
            cx.inputs.push_back(v);
        else if (strip("gold_"))
            cx.outputs_a.push_back(v);
        else if (strip("gate_"))
            cx.outputs_b.push_back(v);
    }
    return cx;
}

std::string bits_to_hex(const std::string& bits) {
    std::string hex;
    static constexpr char digits[] = "0123456789abcdef";
    for (std::size_t end = bits.size(); end > 0;) {
        std::size_t begin = end >= 4 ? end - 4 : 0;
        int d = 0;
        for (std::size_t j = begin; j < end; ++j) d = 2 * d + (bits[j] == '1');
        hex.insert(hex.begin(), digits[d]);
        end = begin;
    }
    return "0x" + (hex.empty() ? std::string("0") : hex);
}

/// Two's complement bits of a port element, MSB first.
std::string element_bits(i128 v, int width) {
    std::string bits;
    for (int j = std::max(width, 1) - 1; j >= 0; --j) bits += (u128(v) >> j) & 1 ? '1' : '0';
    return bits;
}

}  // namespace

std::string_view to_string(EquivStatus s) {
    switch (s) {
        case EquivStatus::proven: return "proven";
        case EquivStatus::different: return "different";
        case EquivStatus::unknown: return "unknown";
    }
    return "?";
}

std::string Counterexample::text() const {
    std::string s;
    auto rows = [&](const char* who, const std::vector<SignalValue>& vs) {
        for (auto& v : vs)
            s += fmt::format("  {:<9} {}{} = {}\n", who, v.name, v.step ? fmt::format(" @{}", v.step) : "",
                             bits_to_hex(v.bits));
    };
    rows("input", inputs);
    rows("A output", outputs_a);
    rows("B output", outputs_b);
    return s;
}

namespace {

/// One comparison: the files, their tops, B's claimed latency, where the scripts and logs go.
struct Pair {
    fs::path a, b, dir;
    std::string top_a, top_b;
    int latency = 0;
    bool clocked = false;  ///< B has a clk port (A gets an unused one so the ports match)
};

fs::path fresh_work_dir(const fs::path& requested) {
    static std::atomic<int> counter{0};
    fs::path dir = requested.empty()
                       ? fs::temp_directory_path() / fmt::format("fixvar_equiv_{}_{}", ::getpid(), counter++)
                       : requested;
    fs::create_directories(dir);
    std::error_code ec;
    for (const char* stale : {"gold.json", "gate.json", "miter.aig", "abc.log", "sat.log"}) fs::remove(dir / stale, ec);
    return dir;
}

/// Yosys script lines leaving `gold` (A) and `gate` (B, registers as wires) in the design.
std::string prepare_pair(const Pair& p) {
    std::string reads_a = fmt::format("read_verilog {}\n", quoted(p.a)), gold_top = p.top_a;
    if (p.clocked && !port_declared(p.a, "clk")) {
        write_file(p.dir / "with_clk.v", clk_wrapper(p.top_a, port_bits(p.a, "inp"), port_bits(p.a, "out")), "equiv");
        reads_a += fmt::format("read_verilog {}\n", quoted(p.dir / "with_clk.v"));
        gold_top = "fixvar_equiv_with_clk";
    }
    write_file(p.dir / "dff_to_wire.v", kDffToWire, "equiv");
    return prepare(reads_a, gold_top, "gold", false) +
           prepare(fmt::format("read_verilog {}\n", quoted(p.b)), p.top_b, "gate", true) +
           "design -copy-from gold -as gold gold\ndesign -copy-from gate -as gate gate\n";
}

/// The register-stage check on the netlists Yosys wrote. Empty: B's outputs at cycle t are
/// its function (registers as wires) of the inputs at t - L; else why no proof can follow.
/// Error: A holds state, or B's count is one number other than the claimed latency.
std::string check_stages(const Pair& p) {
    Stages gold = register_stages(p.dir / "gold.json", "gold");
    if (gold.state_bits > 0)
        fail("equiv",
             "A ('{}') holds state ({} register, latch or memory bits); A must be the combinational "
             "module",
             p.a.string(), gold.state_bits);
    Stages gate = register_stages(p.dir / "gate.json", "gate");
    if (gate.latency < 0)
        return fmt::format(
            "unknown: B is not a plain pipeline ({}), so its function with registers as wires says "
            "nothing about its outputs over time",
            gate.problem);
    if (gate.latency != p.latency)
        fail("equiv",
             "B ('{}') is a pipeline of latency {} (every input-to-output path crosses {} registers), "
             "not {}; pass --latency {}",
             p.b.string(), gate.latency, gate.latency, p.latency, gate.latency);
    return {};
}

/// ABC on the miter; returns its output ("" if killed before writing any).
std::string run_abc(const Pair& p, const EquivOptions& options, const std::string& commands, EquivResult& r) {
    r.log_path = p.dir / "abc.log";
    YosysRun run = run_tool({find_yosys_abc(options.yosys).string(), "-c", "read_aiger miter.aig; strash; " + commands},
                            r.log_path, r.log_path, p.dir,
                            {.yosys = {}, .timeout_seconds = options.timeout_seconds, .progress_label = {}});
    r.seconds += run.seconds;
    std::string log = read_file_if_exists(r.log_path, "equiv").value_or("");
    return run.timed_out ? log + "\nfixvar: timed out" : log;
}

/// AND gates left in the miter after structural hashing (ABC's print_stats), -1 if not printed.
long hashed_ands(const std::string& abc_log) {
    std::smatch m;
    static const std::regex and_count(R"(and\s*=\s*(\d+))");
    std::string plain = std::regex_replace(abc_log, std::regex("\x1b\\[[0-9;]*m"), "");
    return std::regex_search(plain, m, and_count) ? std::stol(m[1].str()) : -1;
}

/// A counterexample by Yosys' SAT (finding one is the easy direction).
void find_counterexample(const Pair& p, const EquivOptions& options, const std::string& prep, EquivResult& r) {
    write_file(p.dir / "sat.ys",
               "# fixvar equiv: a counterexample by miter + SAT\n" + prep +
                   "miter -equiv -flatten -make_outputs gold gate miter\n"
                   "hierarchy -top miter\n" +
                   fmt::format("sat -prove trigger 0 -show-inputs -show-outputs -timeout {} miter\n",
                               std::max(1, int(options.timeout_seconds))),
               "equiv");
    r.log_path = p.dir / "sat.log";
    YosysRun run =
        run_yosys(p.dir / "sat.ys", r.log_path, p.dir,
                  {.yosys = options.yosys, .timeout_seconds = options.timeout_seconds * 2 + 10, .progress_label = {}});
    r.seconds += run.seconds;
    std::string log = read_file_if_exists(r.log_path, "equiv").value_or("");
    if (!run.timed_out && run.exit_code == 0 && log.find("model found: FAIL!") != std::string::npos)
        r.counterexample = parse_counterexample(log.substr(log.find("model found: FAIL!")));
    else
        r.message += " (no counterexample within the time limit)";
}

/// Writes miter.ys and runs it: both designs flat and unoptimized, B's registers as wires, then
/// the miter as an AIG for ABC (miter.aig). Word-level merging first (opt_merge: a pipeline
/// shares all its operators with its own combinational module, so only one copy is
/// bit-blasted, half the time and memory).
YosysRun build_miter(const Pair& p, const EquivOptions& options, const std::string& prep, EquivResult& r) {
    write_file(p.dir / "miter.ys",
               "# fixvar equiv: the miter as an AIG for ABC\n" + prep +
                   "miter -equiv -flatten gold gate miter\nhierarchy -top miter\n"
                   "flatten\nopt_clean\nopt_merge\nopt_expr\nopt_clean\n"
                   "techmap\naigmap\nwrite_aiger -zinit miter.aig\n",
               "equiv");
    r.log_path = p.dir / "miter.log";
    YosysRun run = run_yosys(p.dir / "miter.ys", r.log_path, p.dir,
                             {.yosys = options.yosys,
                              .timeout_seconds = std::max(120.0, 2 * options.timeout_seconds),
                              .progress_label = {}});
    r.seconds = run.seconds;
    return run;
}

/// ABC on the miter: structural hashing, then SAT sweeping (iprove) for what hashing leaves
/// (e.g. an adder graph against multiplies); a counterexample by SAT when the designs differ.
void prove(const Pair& p, const EquivOptions& options, const std::string& prep, EquivResult& r) {
    std::string stage_note =
        p.clocked || p.latency > 0
            ? fmt::format(", pipeline II=1, latency {}: every path crosses {} registers", p.latency, p.latency)
            : "";
    // SAT sweeping on two different structures does not scale past a few hundred adders
    // (DESIGN.md §9); hashing alone is cheap and settles a pipeline against its own module.
    long ops = std::max(arithmetic_ops(p.a), arithmetic_ops(p.b));
    std::string abc = run_abc(p, options, "print_stats", r);
    long ands = hashed_ands(abc);
    if (ands != 0 && !p.clocked && p.latency == 0 && ops > options.max_sat_adders) {
        r.method = "none";
        r.message = fmt::format(
            "not attempted: about {} arithmetic operators in two different structures ({} AND "
            "gates left after structural hashing), and SAT does not scale past a few hundred "
            "adders; simulate instead (not a proof)",
            ops, ands);
        return;
    }
    abc = run_abc(p, options, "iprove", r);
    r.method = (ands == 0 ? "structural hashing (ABC)" : "ABC iprove (SAT sweeping)") + stage_note;
    bool timed_out = abc.find("fixvar: timed out") != std::string::npos;
    if (!timed_out && abc.find("UNSATISFIABLE") != std::string::npos) {
        r.status = EquivStatus::proven;
        r.message = "proven equivalent by " + r.method;
        return;
    }
    if (timed_out || abc.find("SATISFIABLE") == std::string::npos) {
        r.message = timed_out
                        ? fmt::format("unknown: the checker did not finish within {:.0f} s", options.timeout_seconds)
                        : "unknown: the checker gave up (undecided)";
        return;
    }
    r.status = EquivStatus::different;
    r.message = p.clocked ? "different: the pipeline's function differs from A's (inputs held for its latency)"
                          : "different: there is an input where the outputs differ";
    find_counterexample(p, options, prep, r);
}

}  // namespace

EquivResult equiv(const fs::path& a, const fs::path& b, const EquivOptions& options) {
    Pair p{a, b, {}, pick_top(a, options.top_a), pick_top(b, options.top_b), 0, port_declared(b, "clk")};
    p.latency = options.latency >= 0 ? options.latency : sidecar_latency(b);
    p.dir = fresh_work_dir(options.work_dir);
    EquivResult r;
    std::string prep = prepare_pair(p);
    YosysRun run = build_miter(p, options, prep, r);
    if (run.timed_out) {
        r.message = fmt::format("unknown: Yosys did not build the miter within {:.0f} s (killed)", run.seconds);
        return r;
    }
    // The register check first: a design with registers the miter cannot take (e.g. with a
    // reset) is "not a plain pipeline" (unknown), not a Yosys failure.
    std::error_code ec;
    bool netlists = fs::exists(p.dir / "gold.json", ec) && fs::exists(p.dir / "gate.json", ec);
    if (netlists) {
        std::string problem = check_stages(p);
        if (!problem.empty()) {
            r.method = "none";
            r.message = problem;
            return r;
        }
    }
    if (run.exit_code != 0)
        fail("equiv", "Yosys failed comparing '{}' with '{}' (exit {}); from {}:\n{}", a.string(), b.string(),
             run.exit_code, r.log_path.string(), yosys_failure_lines(r.log_path));
    FIXVAR_ASSERT(netlists);  // the script writes both before the miter: no proof without the check
    prove(p, options, prep, r);
    return r;
}

EquivResult equiv(const VerilogModel& a, const VerilogModel& b, const EquivOptions& options) {
    a.write();
    b.write();
    EquivOptions o = options;
    if (o.top_a.empty()) o.top_a = a.module().name;
    if (o.top_b.empty()) o.top_b = b.module().name;
    if (o.latency < 0) o.latency = b.latency() - a.latency();
    if (o.work_dir.empty()) o.work_dir = b.dir() / "equiv";
    if (a.latency() != 0) fail("equiv", "model A ('{}') must be combinational (latency 0)", a.module().name);
    return equiv(a.dir() / (a.module().name + ".v"), b.dir() / (b.module().name + ".v"), o);
}

EquivResult equiv_simulate(const VerilogModule& a, const VerilogModule& b, std::size_t random, std::uint64_t seed,
                           const fs::path& dir) {
    if (a.ports.in_bits != b.ports.in_bits || a.ports.out_bits != b.ports.out_bits)
        fail("equiv", "'{}' ({} input bits, {} output bits) and '{}' ({}, {}) have different ports", a.name,
             a.ports.in_bits, a.ports.out_bits, b.name, b.ports.in_bits, b.ports.out_bits);
    VerilogModule b2 = b;
    if (b2.name == a.name) {  // one build needs distinct module names
        b2.name = a.name + "_b";
        std::size_t at = b2.text.find("module " + a.name);
        FIXVAR_ASSERT(at != std::string::npos);
        b2.text.replace(at, 7 + a.name.size(), "module " + b2.name);
    }
    // Range corners (each element at its min, max, 0, -1, 1), then uniformly random mantissas.
    const auto& els = a.ports.inputs;
    std::vector<i128> mantissas;
    std::size_t batch = 0;
    auto bounds = [](const PortElement& e) {
        i128 lo = e.format.k ? -(i128(1) << (e.width - 1)) : 0;
        i128 hi = e.format.k ? (i128(1) << (e.width - 1)) - 1 : (i128(1) << e.width) - 1;
        return std::pair{lo, hi};
    };
    for (int c = 0; c < 5; ++c, ++batch)
        for (auto& e : els) {
            auto [lo, hi] = bounds(e);
            i128 v = c == 0 ? lo : c == 1 ? hi : c == 2 ? 0 : c == 3 ? -1 : 1;
            mantissas.push_back(std::clamp(v, lo, hi));
        }
    std::mt19937_64 rng(seed);
    for (std::size_t s = 0; s < random; ++s, ++batch)
        for (auto& e : els) {
            auto [lo, hi] = bounds(e);
            u128 bits = (u128(rng()) << 64) | rng();
            mantissas.push_back(lo + i128(bits % u128(hi - lo + 1)));
        }
    auto t0 = std::chrono::steady_clock::now();
    Simulator sim({a, b2}, dir);
    sim.build();
    std::vector<std::uint32_t> words = pack_bus(els, a.ports.in_bus(), mantissas, batch);
    auto out = sim.run({words, words}, batch);
    EquivResult r;
    r.method = fmt::format("simulation ({} vectors, Verilator)", batch);
    std::size_t nw = bus_words(a.ports.out_bus());
    std::vector<i128> ya = unpack_bus(a.ports.outputs, a.ports.out_bus(), out[0], batch);
    std::vector<i128> yb = unpack_bus(b.ports.outputs, b.ports.out_bus(), out[1], batch);
    (void)nw;
    std::size_t n_out = a.ports.outputs.size(), n_in = els.size();
    for (std::size_t s = 0; s < batch; ++s)
        for (std::size_t j = 0; j < n_out; ++j) {
            if (ya[s * n_out + j] == yb[s * n_out + j]) continue;
            r.status = EquivStatus::different;
            for (std::size_t k = 0; k < n_in; ++k)
                r.counterexample.inputs.push_back(
                    {fmt::format("inp[{}]", k), element_bits(mantissas[s * n_in + k], els[k].width), 0});
            int w = a.ports.outputs[j].width;
            r.counterexample.outputs_a.push_back({fmt::format("out[{}]", j), element_bits(ya[s * n_out + j], w), 0});
            r.counterexample.outputs_b.push_back({fmt::format("out[{}]", j), element_bits(yb[s * n_out + j], w), 0});
            r.message = fmt::format("different: sample {} output element {}: A gives mantissa {}, B gives {}", s, j,
                                    fixvar::to_string(ya[s * n_out + j]), fixvar::to_string(yb[s * n_out + j]));
            r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return r;
        }
    r.message = fmt::format("not proven; {} vectors agree", batch);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

EquivResult equiv_simulate(const VerilogModel& a, const VerilogModel& b, std::size_t random, std::uint64_t seed,
                           const fs::path& dir) {
    return equiv_simulate(a.module(), b.module(), random, seed, dir);
}

}  // namespace fixvar::backend
