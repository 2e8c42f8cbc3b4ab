// The Verilog emitter's entry points: module names, the port layout, emit_verilog and
// write_verilog. The emitter itself: verilog_emitter.hpp (module structure) and verilog_expr.cpp
// (each op's expression). Conventions: include/fixvar/backend/verilog_module.hpp.
#include <fixvar/core/file.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/pipeline.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/comb_logic.hpp>

#include "backend/regroup_sums.hpp"
#include "backend/verilog_emitter.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

namespace fixvar::backend {
namespace {

using detail::Emitter;
using ir::NodeId;

// The reserved words of IEEE 1800-2017 (SystemVerilog, a superset of Verilog-2001's): Verilator
// reads .v files as SystemVerilog, so none of them may name a module.
// clang-format off
constexpr std::string_view keywords[] = {
    "accept_on", "alias", "always", "always_comb", "always_ff", "always_latch", "and", "assert",
    "assign", "assume", "automatic", "before", "begin", "bind", "bins", "binsof", "bit", "break",
    "buf", "bufif0", "bufif1", "byte", "case", "casex", "casez", "cell", "chandle", "checker",
    "class", "clocking", "cmos", "config", "const", "constraint", "context", "continue", "cover",
    "covergroup", "coverpoint", "cross", "deassign", "default", "defparam", "design", "disable",
    "dist", "do", "edge", "else", "end", "endcase", "endchecker", "endclass", "endclocking",
    "endconfig", "endfunction", "endgenerate", "endgroup", "endinterface", "endmodule",
    "endpackage", "endprimitive", "endprogram", "endproperty", "endspecify", "endsequence",
    "endtable", "endtask", "enum", "event", "eventually", "expect", "export", "extends", "extern",
    "final", "first_match", "for", "force", "foreach", "forever", "fork", "forkjoin", "function",
    "generate", "genvar", "global", "highz0", "highz1", "if", "iff", "ifnone", "ignore_bins",
    "illegal_bins", "implements", "implies", "import", "incdir", "include", "initial", "inout",
    "input", "inside", "instance", "int", "integer", "interconnect", "interface", "intersect",
    "join", "join_any", "join_none", "large", "let", "liblist", "library", "local", "localparam",
    "logic", "longint", "macromodule", "matches", "medium", "modport", "module", "nand", "negedge",
    "nettype", "new", "nexttime", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1",
    "null", "or", "output", "package", "packed", "parameter", "pmos", "posedge", "primitive",
    "priority", "program", "property", "protected", "pull0", "pull1", "pulldown", "pullup",
    "pulsestyle_ondetect", "pulsestyle_onevent", "pure", "rand", "randc", "randcase",
    "randsequence", "rcmos", "real", "realtime", "ref", "reg", "reject_on", "release", "repeat",
    "restrict", "return", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "s_always",
    "s_eventually", "s_nexttime", "s_until", "s_until_with", "scalared", "sequence", "shortint",
    "shortreal", "showcancelled", "signed", "small", "soft", "solve", "specify", "specparam",
    "static", "string", "strong", "strong0", "strong1", "struct", "super", "supply0", "supply1",
    "sync_accept_on", "sync_reject_on", "table", "tagged", "task", "this", "throughout", "time",
    "timeprecision", "timeunit", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand",
    "trior", "trireg", "type", "typedef", "union", "unique", "unique0", "unsigned", "until",
    "until_with", "untyped", "use", "uwire", "var", "vectored", "virtual", "void", "wait",
    "wait_order", "wand", "weak", "weak0", "weak1", "while", "wildcard", "wire", "with", "within",
    "wor", "xnor", "xor"};
// clang-format on

}  // namespace

void make_directory(const std::filesystem::path& dir, const char* op) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
        fail(op, "output directory '{}' is an existing file; give a directory path", dir.string());
    std::filesystem::create_directories(dir, ec);
    if (ec) fail(op, "cannot create the output directory '{}': {}", dir.string(), ec.message());
}

void check_module_name(std::string_view name) {
    bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok)
        fail("verilog",
             "module name '{}' is not a Verilog identifier (use letters, digits and '_', "
             "starting with a letter)",
             name);
    if (std::find(std::begin(keywords), std::end(keywords), name) != std::end(keywords))
        fail("verilog",
             "module name '{}' is a SystemVerilog keyword (Verilator reads .v files as "
             "SystemVerilog); choose another name, e.g. '{}_m'",
             name, name);
}

PortLayout port_layout(const ir::Graph& g) {
    ir::check_ports(g, "port_layout");
    PortLayout p;
    for (NodeId id : g.inputs) {
        kif q = g[id].range.minimal_kif();
        p.inputs.push_back({q, p.in_bits, q.width()});
        p.in_bits += q.width();
    }
    for (NodeId id : g.outputs) {
        kif q = g[id].range.minimal_kif();
        p.outputs.push_back({q, p.out_bits, q.width()});
        p.out_bits += q.width();
    }
    return p;
}

VerilogModule emit_verilog(const ir::Graph& g, std::string_view name, const VerilogOptions& options) {
    check_module_name(name);
    ir::check_ports(g, "verilog");  // the ports are public fields: every input node must be one
    detail::RegroupedPipeline placed = detail::plan_regrouped(g, options);
    VerilogModule m = Emitter(placed.graph ? *placed.graph : g, name, options, std::move(placed.pipeline)).run();
    m.regrouped = std::move(placed.graph);
    return m;
}

VerilogModule emit_verilog(const CombLogic& logic, std::string_view name, const VerilogOptions& options) {
    return emit_verilog(logic.graph(), name, options);
}

VerilogModule write_verilog(const CombLogic& logic, const std::filesystem::path& verilog_path,
                            const VerilogOptions& options, std::string_view name) {
    std::string stem = name.empty() ? verilog_path.stem().string() : std::string(name);
    VerilogModule m = emit_verilog(logic, stem, options);
    if (verilog_path.has_parent_path()) make_directory(verilog_path.parent_path(), "verilog");
    write_file(verilog_path, m.text, "verilog");
    std::filesystem::path json = verilog_path;
    json.replace_extension(".json");
    write_file(json, sidecar_json(m), "verilog");
    return m;
}

}  // namespace fixvar::backend
