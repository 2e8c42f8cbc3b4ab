// The Verilog emitter. See include/fixvar/backend/verilog_module.hpp for the conventions.
//
// Every expression built here has an exact, known width, so the text is lint clean under
// `verilator -Wall` (no implicit extension or truncation anywhere). Values are extended to
// the width an op needs by sign- or zero-extension according to their own signedness, and
// results are taken modulo 2^width: exact because every node's range is exact.
#include <fixvar/core/file.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/pipeline.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/trace/comb_logic.hpp>
#include <fixvar/version.hpp>

#include "backend/read_bits.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>

namespace fixvar::backend {
namespace {

using ir::Node;
using ir::NodeId;
using ir::Op;

// The reserved words of IEEE 1800-2017 (SystemVerilog, a superset of Verilog-2001's): Verilator
// reads .v files as SystemVerilog, so none of them may name a module.
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

/// Width/signedness of a node's wire (its minimal format).
struct Sig {
    int w = 0;
    bool k = false;
};

Sig sig_of(const ExactRange& r) {
    kif q = r.minimal_kif();
    return {q.width(), q.k != 0};
}

/// "W'h..." holding v modulo 2^W (v sign-extended beyond 128 bits).
std::string lit(i128 v, int W) {
    FIXVAR_ASSERT(W >= 1);
    int digits = (W + 3) / 4;
    std::string hex(std::size_t(digits), '0');
    for (int j = 0; j < digits; ++j) {
        unsigned d = j < 32 ? unsigned((u128(v) >> (4 * j)) & 15u) : (v < 0 ? 15u : 0u);
        int top_bits = W - 4 * j;
        if (top_bits < 4) d &= (1u << top_bits) - 1;
        hex[std::size_t(digits - 1 - j)] = "0123456789abcdef"[d];
    }
    return fmt::format("{}'h{}", W, hex);
}

std::string zero(int W) { return fmt::format("{}'d0", W); }

/// Bit range "[hi:lo]" of a wire.
std::string bits(int hi, int lo) { return hi == lo ? fmt::format("[{}]", hi) : fmt::format("[{}:{}]", hi, lo); }

/// "{a, b, ...}" of parts given MSB first; one part stands alone.
std::string concat(const std::vector<std::string>& parts) {
    if (parts.size() == 1) return parts[0];
    std::string cat = "{";
    for (std::size_t p = 0; p < parts.size(); ++p) cat += (p ? ", " : "") + parts[p];
    return cat + "}";
}

class Emitter {
public:
    Emitter(const ir::Graph& g, std::string_view name, const VerilogOptions& opt)
        : g_(g), opt_(opt) {
        mod_.name = std::string(name);
        mod_.ports = port_layout(g);
        sigs_.resize(g.size());
        for (std::size_t j = 0; j < g.size(); ++j) sigs_[j] = sig_of(g[NodeId(j)].range);
        input_port_.assign(g.size(), -1);
        for (std::size_t p = 0; p < g.inputs.size(); ++p) input_port_[std::size_t(g.inputs[p])] = int(p);
        pipe_ = plan_pipeline(g, opt);
        mod_.clocked = pipe_.clocked;
        mod_.latency = pipe_.latency;
        mod_.latency_cutoff = pipe_.cutoff;
    }

    VerilogModule run() {
        header();
        for (std::size_t j = 0; j < g_.size(); ++j) node(NodeId(j));
        registers();
        outputs();
        out_ += "endmodule\n/* verilator lint_on UNUSEDSIGNAL */\n`default_nettype wire\n";
        mod_.text = std::move(out_);
        mod_.pipeline = std::move(pipe_);
        return std::move(mod_);
    }

private:
    const ir::Graph& g_;
    VerilogOptions opt_;
    VerilogModule mod_;
    std::string out_;
    std::vector<Sig> sigs_;
    Pipeline pipe_;                  // each node's stage and register ranks
    std::vector<int> input_port_;    // node -> input element (or -1)
    std::string copy_;               // "" or "_p<t>": suffix of the helper wires of a view's stage copy

    template <typename... Args>
    void line(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(out_), f, std::forward<Args>(args)...);
        out_ += '\n';
    }

    const Sig& sig(NodeId id) const { return sigs_[std::size_t(id)]; }
    // A node whose exact range is one value is emitted as that constant, never registered.
    bool is_const(NodeId id) const { return g_[id].range.lo == g_[id].range.hi; }

    /// The wire holding node `id` as seen from stage `st`.
    std::string name(NodeId id, int st) const {
        int own = pipe_.stage[std::size_t(id)];
        if (is_const(id) || st <= own) return fmt::format("n{}", id);
        return fmt::format("n{}_p{}", id, st);
    }

    /// Node `id` (read in stage st) as exactly W bits: sign/zero-extended or truncated.
    std::string ext(NodeId id, int st, int W) const {
        const Sig& s = sig(id);
        if (s.w == 0) return zero(W);
        std::string n = name(id, st);
        if (W == s.w) return n;
        if (W < s.w) return n + bits(W - 1, 0);
        if (!s.k) return fmt::format("{{{}, {}}}", zero(W - s.w), n);
        return fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", W - s.w, n, s.w - 1, n);
    }

    /// (value of `id`) * 2^d modulo 2^W, as W bits.
    std::string shl(NodeId id, int st, int d, int W) const {
        FIXVAR_ASSERT(d >= 0 || sig(id).w == 0);
        if (sig(id).w == 0 || d >= W) return zero(W);
        if (d == 0) return ext(id, st, W);
        return fmt::format("{{{}, {}}}", ext(id, st, W - d), zero(d));
    }

    /// Signed width that holds (value of id) * 2^d exactly, plus room for a sign.
    int exact_signed_width(NodeId id, int d) const {
        const Sig& s = sig(id);
        return s.w == 0 ? 1 : s.w + d + (s.k ? 0 : 1);
    }

    std::string decl(NodeId id, bool reg = false) const {
        const Sig& s = sig(id);
        return fmt::format("{}{} [{}:0] n{}", reg ? "reg" : "wire", s.k ? " signed" : "", s.w - 1, id);
    }

    std::string comment(NodeId id) const {
        const Node& n = g_[id];
        auto r = [](NodeId o) { return fmt::format("%{}", o); };
        std::string s = fmt::format("%{} = ", id);
        switch (n.op) {
            case Op::Input: s += fmt::format("input {}", n.param); break;
            case Op::Const: s += "const"; break;
            case Op::Add:
                s += fmt::format("{} {}, {}", n.subtract() ? "sub" : "add", r(n.a), r(n.b));
                if (n.param) s += fmt::format(" << {}", n.param);
                break;
            case Op::Shift: s += fmt::format("shift {}, {}", r(n.a), n.param); break;
            case Op::Quantize: {
                const ir::Quantizer& q = g_.quantizer(n.param);
                s += fmt::format("quantize {} {} {} {}", r(n.a), to_string(q.format),
                                 to_string(q.round), to_string(q.overflow));
                break;
            }
            case Op::Cmp: s += fmt::format("cmp.{} {}, {}", to_string(n.pred()), r(n.a), r(n.b)); break;
            case Op::Table: s += fmt::format("table {} ({} entries)", r(n.a), g_.table(n.param).values.size()); break;
            case Op::Bit: s += fmt::format("bit {}, {}", r(n.a), n.param); break;
            default:
                s += fmt::format("{} {}", ir::to_string(n.op), r(n.a));
                if (n.b != ir::no_node) s += fmt::format(", {}", r(n.b));
                if (n.c != ir::no_node) s += fmt::format(", {}", r(n.c));
        }
        s += fmt::format(" : {}", to_string(n.range));
        if (mod_.clocked) s += fmt::format(" @{:.2f} stage {}", n.latency, pipe_.stage[std::size_t(id)]);
        return s;
    }

    void header() {
        const PortLayout& p = mod_.ports;
        line("// Generated by fixvar {} -- do not edit.", fixvar::version);
        line("// Module {}: {} input elements ({} bits), {} output elements ({} bits); {}.", mod_.name,
             p.inputs.size(), p.in_bits, p.outputs.size(), p.out_bits,
             mod_.clocked ? fmt::format("pipelined, latency {} cycles, II = 1 ({}{}{}), {} register bits",
                                        mod_.latency,
                                        mod_.latency_cutoff > 0 ? fmt::format("cut-off {} levels", mod_.latency_cutoff)
                                                                : std::string("no cut-off"),
                                        pipe_.register_inputs ? ", registered inputs" : "",
                                        pipe_.register_outputs ? ", registered outputs" : "", pipe_.register_bits)
                          : std::string("combinational"));
        line("// Port layout (element: kif, bits): see {}.json. Wires n<id> are the IR nodes %<id>.", mod_.name);
        line("`default_nettype none");
        line("// Free truncations (quantizers, bit tests, wrap-around) read only some bits of a wire");
        line("// (or of inp) by design: the one lint waiver.");
        line("/* verilator lint_off UNUSEDSIGNAL */");
        line("module {} (", mod_.name);
        if (mod_.clocked) line("    input wire clk,");
        line("    input wire [{}:0] inp,", p.in_bus() - 1);
        line("    output wire [{}:0] out", p.out_bus() - 1);
        line(");");
    }

    void node(NodeId id) {
        const Node& n = g_[id];
        const Sig& s = sig(id);
        if (s.w == 0) {
            line("  // {} (constant 0, no wire)", comment(id));
            return;
        }
        int st = pipe_.stage[std::size_t(id)];
        if (n.op == Op::Table && !is_const(id)) {
            table(id, st);
        } else {
            line("  {};  // {}", decl(id), comment(id));
            line("  assign n{} = {};", id, is_const(id) ? lit(n.range.lo, s.w) : expr(id, st));
        }
        if (is_const(id)) return;
        int last = pipe_.last_read[std::size_t(id)];
        for (int t = st + 1; t <= last; ++t) {
            std::string wire = fmt::format("wire{} [{}:0] n{}_p{}", s.k ? " signed" : "", s.w - 1, id, t);
            if (pipe_.view[std::size_t(id)]) {  // no register: the stage rebuilds it from its operand
                copy_ = fmt::format("_p{}", t);
                line("  {} = {};", wire, expr(id, t));
                copy_.clear();
                continue;
            }
            detail::BitMask held = rank(id, t);
            if (held) line("  reg [{}:0] n{}_r{};", detail::popcount(held) - 1, id, t);
            line("  {} = {};", wire, reassemble(id, t));
        }
    }

    detail::BitMask rank(NodeId id, int t) const {
        return pipe_.rank_bits[std::size_t(id)][std::size_t(t - pipe_.stage[std::size_t(id)] - 1)];
    }

    /// Node `id`'s value in stage t from its rank-t register: the registered bits, bits copied
    /// from another node (taken from that node's stage-t copy), the constant bits of its range,
    /// and 0 for bits no reader of stage t or later needs.
    std::string reassemble(NodeId id, int t) const {
        const int w = sig(id).w;
        const detail::BitMask held = rank(id, t), vary = detail::varying_bits(g_[id].range);
        const auto& copies = pipe_.alias[std::size_t(id)];
        const i128 lo = g_[id].range.lo;
        enum Kind { registered, copied, unused, constant };
        auto kind = [&](int b) {
            return (held >> b) & 1 ? registered : std::size_t(b) < copies.size() ? copied
                                                 : (vary >> b) & 1           ? unused
                                                                             : constant;
        };
        std::vector<std::string> parts;  // MSB first
        for (int j = w - 1; j >= 0;) {
            Kind k = kind(j);
            int top = j;
            while (j >= 0 && kind(j) == k && (k != copied || j == top)) --j;
            int bot = j + 1, len = top - bot + 1;
            if (k == registered) {
                int pos = detail::popcount(held & detail::low_bits(bot));
                parts.push_back(fmt::format("n{}_r{}{}", id, t, bits(pos + len - 1, pos)));
            } else if (k == copied) {
                const Pipeline::BitSource& src = copies[std::size_t(bot)];
                // A copy nobody needs in stage t has no chain behind it: 0 like any unused bit.
                if (src.node < 0)
                    parts.push_back(fmt::format("1'b{}", src.bit));
                else if (pipe_.last_read[std::size_t(src.node)] < t)
                    parts.push_back(zero(1));
                else
                    parts.push_back(fmt::format("{}[{}]", name(NodeId(src.node), t), src.bit));
            } else if (k == unused) {
                parts.push_back(zero(len));
            } else {
                parts.push_back(lit(lo >> bot, len));
            }
        }
        return concat(parts);
    }

    void registers() {
        if (!mod_.clocked) return;
        bool any = false;
        for (std::size_t j = 0; j < g_.size(); ++j) {
            auto id = NodeId(j);
            if (sig(id).w == 0 || is_const(id) || pipe_.view[j]) continue;
            for (int t = pipe_.stage[j] + 1; t <= pipe_.last_read[j]; ++t) {
                detail::BitMask held = rank(id, t);
                if (!held) continue;
                if (!any) line("  always @(posedge clk) begin");
                any = true;
                line("    n{}_r{} <= {};", id, t, select(name(id, t - 1), held));
            }
        }
        if (any) line("  end");
    }

    /// The bits of `held` from wire `w`, packed MSB first.
    static std::string select(const std::string& w, detail::BitMask held) {
        std::vector<std::string> parts;
        for (int j = 127; j >= 0;) {
            if (!((held >> j) & 1)) {
                --j;
                continue;
            }
            int top = j;
            while (j >= 0 && ((held >> j) & 1)) --j;
            parts.push_back(w + bits(top, j + 1));
        }
        return concat(parts);
    }

    void outputs() {
        const PortLayout& p = mod_.ports;
        if (p.out_bits == 0) line("  assign out = 1'b0;");
        for (std::size_t j = 0; j < g_.outputs.size(); ++j) {
            const PortElement& e = p.outputs[j];
            if (e.width == 0) continue;
            line("  assign out{} = {};  // output {}", bits(e.offset + e.width - 1, e.offset),
                 ext(g_.outputs[j], mod_.latency, e.width), j);
        }
    }

    // --- one expression per op, of exactly the node's width -----------------------------

    std::string expr(NodeId id, int st) {
        const Node& n = g_[id];
        const int w = sig(id).w, e = n.range.exp;
        auto exp_of = [&](NodeId o) { return g_[o].range.exp; };
        switch (n.op) {
            case Op::Input: {
                int p = input_port_[std::size_t(id)];
                FIXVAR_ASSERT(p >= 0);
                const PortElement& el = mod_.ports.inputs[std::size_t(p)];
                FIXVAR_ASSERT(el.width == w);
                return fmt::format("inp{}", bits(el.offset + w - 1, el.offset));
            }
            case Op::Const: return lit(n.range.lo, w);
            case Op::Add: {
                std::string x = shl(n.a, st, exp_of(n.a) - e, w);
                std::string y = shl(n.b, st, exp_of(n.b) + n.param - e, w);
                return fmt::format("{} {} {}", x, n.subtract() ? '-' : '+', y);
            }
            case Op::Shift: return ext(n.a, st, w);
            case Op::Neg: return fmt::format("-{}", ext(n.a, st, w));
            case Op::Mul: return fmt::format("{} * {}", ext(n.a, st, w), ext(n.b, st, w));
            case Op::Quantize: return quantize(id, st);
            case Op::Relu:
            case Op::Abs: {
                const Sig& a = sig(n.a);
                if (!a.k || a.w == 0) return ext(n.a, st, w);
                std::string neg = fmt::format("{}[{}]", name(n.a, st), a.w - 1);
                return fmt::format("{} ? {} : {}", neg, n.op == Op::Relu ? zero(w) : fmt::format("-{}", ext(n.a, st, w)),
                                   ext(n.a, st, w));
            }
            case Op::Max:
            case Op::Min: {
                int da = exp_of(n.a) - e, db = exp_of(n.b) - e;
                if (sig(n.a).w == 0) da = 0;
                if (sig(n.b).w == 0) db = 0;
                int W = std::max(exact_signed_width(n.a, da), exact_signed_width(n.b, db));
                return fmt::format("($signed({}) {} $signed({})) ? {} : {}", shl(n.a, st, da, W),
                                   n.op == Op::Max ? ">=" : "<=", shl(n.b, st, db, W),
                                   shl(n.a, st, da, w), shl(n.b, st, db, w));
            }
            case Op::Cmp: {
                int m = !sig(n.a).w ? exp_of(n.b) : !sig(n.b).w ? exp_of(n.a)
                                                                : std::min(exp_of(n.a), exp_of(n.b));
                int da = sig(n.a).w ? exp_of(n.a) - m : 0, db = sig(n.b).w ? exp_of(n.b) - m : 0;
                int W = std::max(exact_signed_width(n.a, da), exact_signed_width(n.b, db));
                static constexpr const char* ops[] = {"<", "<=", ">", ">=", "==", "!="};
                std::string c = fmt::format("$signed({}) {} $signed({})", shl(n.a, st, da, W),
                                            ops[int(n.pred())], shl(n.b, st, db, W));
                FIXVAR_ASSERT(w == 1);
                return c;
            }
            case Op::Select: {
                const Sig& c = sig(n.a);
                std::string cond = c.w == 1 ? name(n.a, st) : fmt::format("|{}", name(n.a, st));
                auto arm = [&](NodeId o) { return shl(o, st, sig(o).w ? exp_of(o) - e : 0, w); };
                if (c.w == 0) return arm(n.c);
                return fmt::format("{} ? {} : {}", cond, arm(n.b), arm(n.c));
            }
            case Op::Bit: {
                const Sig& a = sig(n.a);
                FIXVAR_ASSERT(n.param >= 0 && w == 1);
                if (a.w == 0) return zero(1);
                if (n.param < a.w) return fmt::format("{}[{}]", name(n.a, st), n.param);
                return a.k ? fmt::format("{}[{}]", name(n.a, st), a.w - 1) : zero(1);
            }
            case Op::Table: break;  // emitted by table()
        }
        FIXVAR_ASSERT(!"unhandled op");
        return {};
    }

    // Quantize: v = round(a) at the target step 2^t (t = -f), exact in Wv signed bits; then
    // overflow handling into the format's bounds; then the result re-expressed at the node's
    // exponent. Shift amounts beyond the operand's width are clamped: they cannot change the
    // rounding decision nor the overflow decision (see the comments below).
    std::string quantize(NodeId id, int st) {
        const Node& n = g_[id];
        const ir::Quantizer& q = g_.quantizer(n.param);
        const ExactRange& in = g_[n.a].range;
        const int w = sig(id).w;
        if (sig(n.a).w == 0) return zero(w);  // quantize(0) = 0 (then the node is constant anyway)
        if (quantize_is_identity(in, q.format, q.round, q.overflow) && n.range.exp == in.exp)
            return ext(n.a, st, w);
        auto [v, Wv] = quantize_round(id, st);
        std::string r = quantize_overflow(id, v, Wv);
        return quantize_rescale(id, r, Wv);
    }

    // The rounded value v (wire n<id>_v) at the quantizer's step, and its width Wv in signed bits.
    std::pair<std::string, int> quantize_round(NodeId id, int st) {
        const Node& n = g_[id];
        const ir::Quantizer& q = g_.quantizer(n.param);
        const Sig a = sig(n.a);
        const int t = -q.format.f, ea = g_[n.a].range.exp, wq = q.format.width();
        std::string v = fmt::format("n{}{}_v", id, copy_);
        int Wv;
        if (ea >= t) {
            // Exact left shift. Beyond wq+1 bits of shift every non-zero value overflows the
            // same way and the low wq bits are 0, so the shift is clamped there.
            int d = std::min(ea - t, wq + 1);
            Wv = std::max(a.w + d, wq) + 2;
            line("  wire signed [{}:0] {} = {};", Wv - 1, v, shl(n.a, st, d, Wv));
            return {v, Wv};
        }
        // Right shift by s with rounding. For s >= width+1 the result is 0 or -1 and the
        // remainder is strictly below/above one half, exactly as with s = width+1.
        int s = std::min(t - ea, a.w + 1);
        int Wx = a.w + 2;
        std::string x = fmt::format("n{}{}_x", id, copy_);
        line("  wire [{}:0] {} = {};", Wx - 1, x, ext(n.a, st, Wx));
        std::string sign = fmt::format("{}[{}]", x, Wx - 1);
        std::string half = fmt::format("{}[{}]", x, s - 1);
        std::string rest = s >= 2 ? fmt::format("(|{}{})", x, bits(s - 2, 0)) : "1'b0";
        std::string up;
        switch (q.round) {
            case Round::TRN: break;
            case Round::TRN_ZERO: up = fmt::format("{} & (|{}{})", sign, x, bits(s - 1, 0)); break;
            case Round::RND: up = half; break;
            case Round::RND_ZERO: up = fmt::format("{} & ({} | {})", half, rest, sign); break;
            case Round::RND_MIN_INF: up = fmt::format("{} & {}", half, rest); break;
            case Round::RND_INF: up = fmt::format("{} & ({} | ~{})", half, rest, sign); break;
            case Round::RND_CONV:
                up = fmt::format("{} & ({} | {}[{}])", half, rest, x, s);
                break;
        }
        int Wf = Wx - s;  // floor(a / 2^s) as Wf signed bits
        Wv = std::max(Wf + 1, wq) + 2;
        std::string fl = fmt::format("{{{{{}{{{}}}}}, {}{}}}", Wv - Wf, sign, x, bits(Wx - 1, s));
        if (up.empty())
            line("  wire signed [{}:0] {} = {};", Wv - 1, v, fl);
        else
            line("  wire signed [{}:0] {} = {} + {{{}, {}}};", Wv - 1, v, fl, zero(Wv - 1), up);
        return {v, Wv};
    }

    // v (Wv signed bits) brought into the format's bounds (wire n<id>_r), or v itself when every
    // rounded value of the input range fits (rounding is monotone, so checking the rounded
    // bounds suffices).
    std::string quantize_overflow(NodeId id, const std::string& v, int Wv) {
        const Node& n = g_[id];
        const ir::Quantizer& q = g_.quantizer(n.param);
        const ExactRange& in = g_[n.a].range;
        const int wq = q.format.width();
        const i128 lo = q.format.k ? -pow2(q.format.i + q.format.f) : 0;
        const i128 hi = pow2(q.format.i + q.format.f) - 1;
        i128 rl = round_mantissa(in.lo, in.exp, q.format.f, q.round);
        i128 rh = round_mantissa(in.hi, in.exp, q.format.f, q.round);
        if (lo <= rl && rh <= hi) return v;
        std::string r = fmt::format("n{}{}_r", id, copy_);
        std::string sv = fmt::format("$signed({})", v);
        auto slit = [&](i128 c) { return fmt::format("$signed({})", lit(c, Wv)); };
        switch (q.overflow) {
            case Overflow::WRAP: {
                std::string low = v + bits(wq - 1, 0);
                std::string fill = q.format.k ? fmt::format("{{{}{{{}[{}]}}}}", Wv - wq, v, wq - 1)
                                              : zero(Wv - wq);
                line("  wire signed [{}:0] {} = {{{}, {}}};", Wv - 1, r, fill, low);
                break;
            }
            case Overflow::SAT:
            case Overflow::SAT_SYM: {
                i128 l = q.overflow == Overflow::SAT_SYM && q.format.k ? -hi : lo;
                line("  wire signed [{}:0] {} = ({} < {}) ? {} : ({} > {}) ? {} : {};", Wv - 1, r,
                     sv, slit(l), lit(l, Wv), sv, slit(hi), lit(hi, Wv), v);
                break;
            }
            case Overflow::SAT_ZERO:
                line("  wire signed [{}:0] {} = ({} < {} || {} > {}) ? {} : {};", Wv - 1, r, sv,
                     slit(lo), sv, slit(hi), zero(Wv), v);
                break;
        }
        return r;
    }

    // r (Wv signed bits at the quantizer's step 2^t) re-expressed at the node's exponent e in
    // its w bits (identity quantizers keep the input grid).
    std::string quantize_rescale(NodeId id, const std::string& r, int Wv) {
        const Node& n = g_[id];
        const int w = sig(id).w, t = -g_.quantizer(n.param).format.f, e = n.range.exp;
        if (e <= t) {
            int d = t - e;
            if (d >= w) return zero(w);
            std::string low = w - d >= Wv ? fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", w - d - Wv, r, Wv - 1, r)
                                          : r + bits(w - d - 1, 0);
            if (w - d == Wv) low = r;
            return d == 0 ? low : fmt::format("{{{}, {}}}", low, zero(d));
        }
        int d = e - t;  // exact right shift
        if (d >= Wv) return fmt::format("{{{}{{{}[{}]}}}}", w, r, Wv - 1);
        int top = std::min(Wv - 1, d + w - 1);
        std::string sl = r + bits(top, d);
        int got = top - d + 1;
        return got == w ? sl : fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", w - got, r, Wv - 1, sl);
    }

    void table(NodeId id, int st) {
        const Node& n = g_[id];
        const ir::Table& t = g_.table(n.param);
        const Sig s = sig(id), a = sig(n.a);
        line("  {};  // {}", decl(id, true), comment(id));
        line("  always @(*) begin");
        if (a.w == 0) {
            line("    n{} = {};", id, lit(t.values[0], s.w));
        } else {
            line("    case ({})", name(n.a, st));
            for (std::size_t j = 0; j < t.values.size(); ++j)
                line("      {}: n{} = {};", lit(t.in_lo + i128(j), a.w), id, lit(t.values[j], s.w));
            if (t.values.size() < (std::size_t(1) << std::min(a.w, 40)))
                line("      default: n{} = {};", id, lit(t.values[0], s.w));
            line("    endcase");
        }
        line("  end");
    }
};

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
        fail("verilog", "module name '{}' is not a Verilog identifier (use letters, digits and '_', "
                        "starting with a letter)", name);
    if (std::find(std::begin(keywords), std::end(keywords), name) != std::end(keywords))
        fail("verilog", "module name '{}' is a SystemVerilog keyword (Verilator reads .v files as "
                        "SystemVerilog); choose another name, e.g. '{}_m'", name, name);
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
    return Emitter(g, name, options).run();
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
