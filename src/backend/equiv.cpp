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
#include "backend/json_read.hpp"

#include <atomic>
#include <cstring>
#include <functional>
#include <limits>
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
        fail("equiv", "'{}' has no port '{}' declared as [N:0]; pipelined equivalence needs fixvar's ports "
                      "(inp, out, clk)",
             file.string(), name);
    return std::stoi(m[4].str()) + 1;
}

int sidecar_latency(const fs::path& verilog_file) {
    fs::path side = fs::path(verilog_file).replace_extension(".json");
    std::error_code ec;
    if (!fs::exists(side, ec)) return 0;
    try {
        return json::parse(read_file(side, "equiv")).value("latency", 0);
    } catch (const json::exception&) {
        return 0;
    }
}

/// A with a clk port (unused), so its ports match a pipeline's.
std::string clk_wrapper(const std::string& top, int in_bits, int out_bits) {
    return fmt::format("module fixvar_equiv_with_clk (input wire clk, input wire [{}:0] inp, output wire [{}:0] out);\n"
                       "  {} comb (.inp(inp), .out(out));\nendmodule\n",
                       in_bits - 1, out_bits - 1, top);
}

bool port_declared(const fs::path& file, const std::string& name) {
    std::regex decl("input\\s+(wire\\s+)?" + name + "\\b");
    std::string text = read_file(file, "equiv");
    return std::regex_search(text, decl);
}

std::string prepare(const std::string& reads, const std::string& top, const char* as) {
    return fmt::format("{}hierarchy -check -top {}\nproc\nflatten\nopt -fast\nwreduce\nopt_clean\nrename {} {}\n", reads,
                       top, top, as);
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

/// Registers crossed by every path from the inputs to the outputs of a Yosys JSON netlist
/// (after proc/flatten), or a reason why the count is not one number (paths that cross
/// different counts, registers other than plain $dff, loops).
struct Stages {
    int latency = -1;
    std::string problem;
};

Stages register_stages(const json& netlist, const std::string& module) {
    const json& mod = netlist.at("modules").at(module);
    std::map<long, std::pair<std::size_t, std::string>> driver;  // bit -> (cell, port) ; bit index in port
    std::map<long, std::size_t> driver_pos;
    std::vector<const json*> cells;
    for (auto& [name, cell] : mod.at("cells").items()) {
        std::size_t c = cells.size();
        cells.push_back(&cell);
        for (auto& [port, dir] : cell.at("port_directions").items()) {
            if (dir != "output") continue;
            const json& bits = cell.at("connections").at(port);
            for (std::size_t k = 0; k < bits.size(); ++k)
                if (bits[k].is_number()) driver[bits[k].get<long>()] = {c, port}, driver_pos[bits[k].get<long>()] = k;
        }
    }
    std::set<long> inputs;
    std::vector<long> outputs;
    for (auto& [name, port] : mod.at("ports").items())
        for (auto& b : port.at("bits"))
            if (b.is_number()) (port.at("direction") == "input" ? (void)inputs.insert(b.get<long>()) : outputs.push_back(b.get<long>()));
    constexpr int kConst = -1, kOpen = -2, kBusy = -3;
    std::vector<int> cell_depth(cells.size(), kOpen);
    Stages st;
    std::function<int(const json&)> bit_depth;
    std::function<int(std::size_t)> depth_of_cell = [&](std::size_t c) -> int {
        if (cell_depth[c] == kBusy) throw std::runtime_error("a combinational or register loop");
        if (cell_depth[c] != kOpen) return cell_depth[c];
        cell_depth[c] = kBusy;
        int d = kConst;
        const json& cell = *cells[c];
        for (auto& [port, dir] : cell.at("port_directions").items()) {
            if (dir != "input") continue;
            for (auto& b : cell.at("connections").at(port)) {
                int x = bit_depth(b);
                if (x == kConst) continue;
                if (d != kConst && x != d) throw std::runtime_error("paths that cross different numbers of registers");
                d = x;
            }
        }
        return cell_depth[c] = d;
    };
    bit_depth = [&](const json& b) -> int {
        if (!b.is_number()) return kConst;
        long bit = b.get<long>();
        if (inputs.count(bit)) return 0;
        auto it = driver.find(bit);
        if (it == driver.end()) return kConst;
        auto [c, port] = it->second;
        std::string type = cells[c]->at("type");
        if (type == "$dff") {
            int d = bit_depth(cells[c]->at("connections").at("D").at(driver_pos[bit]));
            return d == kConst ? kConst : d + 1;
        }
        if (type.find("dff") != std::string::npos || type.find("DFF") != std::string::npos ||
            type.find("latch") != std::string::npos)
            throw std::runtime_error("a register of type " + type + " (only plain clocked $dff are understood)");
        return depth_of_cell(c);
    };
    try {
        for (long o : outputs) {
            int d = bit_depth(json(o));
            if (d == kConst) continue;
            if (st.latency >= 0 && d != st.latency) throw std::runtime_error("outputs that leave after different numbers of cycles");
            st.latency = d;
        }
        if (st.latency < 0) st.latency = 0;
    } catch (const std::runtime_error& e) {
        st.problem = e.what();
        st.latency = -1;
    }
    return st;
}

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
        if (strip("in_")) cx.inputs.push_back(v);
        else if (strip("gold_")) cx.outputs_a.push_back(v);
        else if (strip("gate_")) cx.outputs_b.push_back(v);
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

EquivResult equiv(const fs::path& a, const fs::path& b, const EquivOptions& options) {
    std::string top_a = pick_top(a, options.top_a), top_b = pick_top(b, options.top_b);
    int latency = options.latency >= 0 ? options.latency : sidecar_latency(b);
    EquivResult r;
    long ops = std::max(arithmetic_ops(a), arithmetic_ops(b));
    if (ops > options.max_sat_adders) {
        r.method = "none";
        r.message = fmt::format("not attempted: about {} arithmetic operators, and SAT does not scale past a few "
                                "hundred adders; simulate instead (not a proof)",
                                ops);
        return r;
    }
    fs::path dir = options.work_dir;
    if (dir.empty()) {
        static std::atomic<int> counter{0};
        dir = fs::temp_directory_path() / fmt::format("fixvar_equiv_{}_{}", ::getpid(), counter++);
    }
    fs::create_directories(dir);
    std::error_code ec;
    for (const char* stale : {"gate.json", "equiv_status.txt"}) fs::remove(dir / stale, ec);
    bool clocked = latency > 0 || port_declared(b, "clk");
    // The pair is made combinational: a pipeline's registers become wires (its function), and
    // A gets B's clk port (unused) so the ports match. Whether that function is what B computes
    // L cycles later is the register-stage check on B's netlist (register_stages).
    std::string reads_a = fmt::format("read_verilog {}\n", quoted(a)), gold_top = top_a;
    if (clocked) {
        write_file(dir / "with_clk.v", clk_wrapper(top_a, port_bits(a, "inp"), port_bits(a, "out")), "equiv");
        reads_a += fmt::format("read_verilog {}\n", quoted(dir / "with_clk.v"));
        gold_top = "fixvar_equiv_with_clk";
        write_file(dir / "dff_to_wire.v", kDffToWire, "equiv");
    }
    std::string prep = prepare(reads_a, gold_top, "gold") + "design -stash gold\n";
    prep += prepare(fmt::format("read_verilog {}\n", quoted(b)), top_b, "gate");
    if (clocked) prep += "write_json gate.json\ntechmap -map dff_to_wire.v t:$dff\nopt_clean\n";
    prep += "design -stash gate\ndesign -copy-from gold -as gold gold\ndesign -copy-from gate -as gate gate\n";
    // A pipeline's function against A: first structurally (equiv_make matches same-named signals,
    // instant for a pipeline of the same graph; but equiv_simple can take very long on unrelated
    // structures, hence its own short limit), else by a miter + SAT over all inputs.
    std::string stage_note;
    auto check_stages = [&]() -> bool {  // false: no proof possible (r says why)
        if (!clocked) return true;
        if (!fs::exists(dir / "gate.json", ec)) {
            r.message = "unknown: Yosys stopped before B's netlist was written";
            return false;
        }
        Stages st = register_stages(json::parse(read_file(dir / "gate.json", "equiv")), "gate");
        if (st.latency < 0) {
            r.method = "none";
            r.message = fmt::format("unknown: B is not a plain pipeline ({}), so its function with registers as "
                                    "wires says nothing about its outputs over time",
                                    st.problem);
            return false;
        }
        if (st.latency != latency)
            fail("equiv", "B ('{}') is a pipeline of latency {} (every input-to-output path crosses {} registers), "
                          "not {}; pass --latency {}",
                 b.string(), st.latency, st.latency, latency, st.latency);
        stage_note = fmt::format(", pipeline II=1, latency {}: every path crosses {} registers", latency, latency);
        return true;
    };
    auto failed = [&](const YosysRun& run) {
        fail("equiv", "Yosys failed comparing '{}' with '{}' (exit {}); from {}:\n{}", a.string(), b.string(),
             run.exit_code, r.log_path.string(), yosys_failure_lines(r.log_path));
    };
    if (clocked) {
        write_file(dir / "structural.ys", "# fixvar equiv: structural proof (equiv_make/equiv_simple)\n" + prep +
                                              "equiv_make gold gate equiv\nhierarchy -top equiv\nequiv_simple\n"
                                              "tee -q -o equiv_status.txt equiv_status\n", "equiv");
        r.log_path = dir / "structural.log";
        YosysRun run = run_yosys(dir / "structural.ys", r.log_path, dir,
                                 {.yosys = options.yosys,
                                  .timeout_seconds = std::max(5.0, options.timeout_seconds / 2),
                                  .progress_label = {}});
        r.seconds = run.seconds;
        if (!run.timed_out && run.exit_code != 0) failed(run);
        if (!run.timed_out &&
            read_file_if_exists(dir / "equiv_status.txt", "equiv").value_or("").find("Equivalence successfully proven") != std::string::npos) {
            if (!check_stages()) return r;
            r.status = EquivStatus::proven;
            r.method = "structural (equiv_simple)" + stage_note;
            r.message = "proven equivalent by " + r.method;
            return r;
        }
    }
    // The miter as an AIG for ABC's checker (SAT sweeping: proves in milliseconds what Yosys'
    // minisat-based `sat` cannot finish in minutes, e.g. an adder graph against multiplies).
    write_file(dir / "miter.ys", "# fixvar equiv: miter as an AIG for ABC\n" + prep +
                                     "miter -equiv -flatten gold gate miter\nhierarchy -top miter\n"
                                     "flatten\ntechmap\nopt -fast\naigmap\nopt_clean\nwrite_aiger -zinit miter.aig\n", "equiv");
    r.log_path = dir / "miter.log";
    YosysRun run = run_yosys(dir / "miter.ys", r.log_path, dir,
                             {.yosys = options.yosys, .timeout_seconds = options.timeout_seconds + 10,
                              .progress_label = {}});
    r.seconds += run.seconds;
    if (run.timed_out) {
        r.message = fmt::format("unknown: Yosys did not build the miter within {:.0f} s (killed)", run.seconds);
        return r;
    }
    if (run.exit_code != 0) failed(run);
    if (!check_stages()) return r;
    r.log_path = dir / "abc.log";
    run = run_tool({find_yosys_abc(options.yosys).string(), "-c", "read_aiger miter.aig; iprove"}, r.log_path,
                   r.log_path, dir, {.yosys = {}, .timeout_seconds = options.timeout_seconds, .progress_label = {}});
    r.seconds += run.seconds;
    r.method = "ABC iprove (SAT sweeping)" + stage_note;
    std::string abc = read_file_if_exists(r.log_path, "equiv").value_or("");  // none if killed at once
    if (!run.timed_out && abc.find("UNSATISFIABLE") != std::string::npos) {
        r.status = EquivStatus::proven;
        r.message = "proven equivalent by " + r.method;
        return r;
    }
    if (run.timed_out || abc.find("SATISFIABLE") == std::string::npos) {
        r.message = run.timed_out ? fmt::format("unknown: the checker did not finish within {:.0f} s", run.seconds)
                                  : "unknown: the checker gave up (undecided)";
        return r;
    }
    // Different: Yosys' SAT finds a counterexample quickly (finding one is the easy direction).
    r.status = EquivStatus::different;
    r.message = clocked ? "different: the pipeline's function differs from A's (inputs held for its latency)"
                        : "different: there is an input where the outputs differ";
    write_file(dir / "sat.ys", "# fixvar equiv: a counterexample by miter + SAT\n" + prep +
                                   "miter -equiv -flatten -make_outputs gold gate miter\n"
                                   "hierarchy -top miter\n" +
                                   fmt::format("sat -prove trigger 0 -show-inputs -show-outputs -timeout {} miter\n",
                                               std::max(1, int(options.timeout_seconds))), "equiv");
    r.log_path = dir / "sat.log";
    run = run_yosys(dir / "sat.ys", r.log_path, dir,
                    {.yosys = options.yosys, .timeout_seconds = options.timeout_seconds * 2 + 10, .progress_label = {}});
    r.seconds += run.seconds;
    std::string log = read_file_if_exists(r.log_path, "equiv").value_or("");
    if (!run.timed_out && run.exit_code == 0 && log.find("model found: FAIL!") != std::string::npos)
        r.counterexample = parse_counterexample(log.substr(log.find("model found: FAIL!")));
    else
        r.message += " (no counterexample within the time limit)";
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

VerilogModule read_emitted_module(const fs::path& verilog_file) {
    fs::path side = fs::path(verilog_file).replace_extension(".json");
    std::error_code ec;
    if (!fs::is_regular_file(verilog_file, ec) || !fs::is_regular_file(side, ec))
        fail("equiv", "'{}' needs its .json sidecar '{}' (as fixvar writes them) to be simulated", verilog_file.string(),
             side.string());
    return parse_emitted_module(read_file(verilog_file, "equiv"), read_file(side, "equiv"), side);
}

VerilogModule parse_emitted_module(std::string_view verilog_text, std::string_view sidecar, const fs::path& source) {
    VerilogModule m;
    try {
        json j = json::parse(sidecar);
        m.name = j.at("name");
        // Every element as the emitter lays it out: a valid format of its width (0: a
        // constant-zero output), at the next free bit of the bus.
        auto elements = [&](const json& arr, const char* port) {
            std::vector<PortElement> out;
            long long bits = 0;
            for (auto& e : arr) {
                PortElement el{kif{json_integer<int>(e, "k"), json_integer<int>(e, "i"), json_integer<int>(e, "f")},
                               json_integer<int>(e, "offset"), json_integer<int>(e, "width")};
                if (el.width != 0) {
                    check_format(el.format, "equiv");
                    if (el.width != el.format.width())
                        fail("equiv", "'{}': {} element {} has width {} but its format {} is {} bits wide",
                             source.string(), port, out.size(), el.width, to_string(el.format), el.format.width());
                }
                if (el.offset != bits)
                    fail("equiv", "'{}': {} element {} starts at bit {}, expected {} (elements are packed in order)",
                         source.string(), port, out.size(), el.offset, bits);
                bits += el.width;
                if (el.width < 0 || bits > std::numeric_limits<int>::max())
                    fail("equiv", "'{}': {} element {} has width {}: the bus would not fit in 2^31 bits",
                         source.string(), port, out.size(), el.width);
                out.push_back(el);
            }
            return std::pair{out, int(bits)};
        };
        std::tie(m.ports.inputs, m.ports.in_bits) = elements(j.at("inputs"), "input");
        std::tie(m.ports.outputs, m.ports.out_bits) = elements(j.at("outputs"), "output");
        m.latency = json_integer<int>(j, "latency");
        m.clocked = j.at("clocked");
        m.latency_cutoff = j.value("latency_cutoff", 0.0);
    } catch (const json::exception& e) {
        fail("equiv", "'{}' is not a fixvar sidecar: {}", source.string(), e.what());
    }
    check_module_name(m.name);
    if (m.latency < 0) fail("equiv", "'{}': latency {} is negative", source.string(), m.latency);
    // equiv_simulate renames the module by this text when both sides share a name.
    if (verilog_text.find("module " + m.name) == std::string_view::npos)
        fail("equiv", "'{}' names module '{}' but the Verilog text defines no `module {}`", source.string(), m.name,
             m.name);
    m.text = verilog_text;
    return m;
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
