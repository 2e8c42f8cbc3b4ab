#pragma once
// The Verilog emitter's module structure (verilog_module.cpp has the entry points): wire names,
// declarations, the module header, one wire per node, the register ranks and the output
// assignments. Each op's expression is built in verilog_expr.cpp. Conventions: see
// include/fixvar/backend/verilog_module.hpp.
#include <fixvar/backend/pipeline.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/version.hpp>

#include "backend/read_bits.hpp"

#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace fixvar::backend::detail {

using ir::Node;
using ir::NodeId;
using ir::Op;

/// Width/signedness of a node's wire (its minimal format).
struct Sig {
    int w = 0;
    bool k = false;
};

inline Sig sig_of(const ExactRange& r) {
    kif q = r.minimal_kif();
    return {q.width(), q.k != 0};
}

/// "W'h..." holding v modulo 2^W (v sign-extended beyond 128 bits).
inline std::string lit(i128 v, int W) {
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

inline std::string zero(int W) { return fmt::format("{}'d0", W); }

/// Bit range "[hi:lo]" of a wire.
inline std::string bits(int hi, int lo) { return hi == lo ? fmt::format("[{}]", hi) : fmt::format("[{}:{}]", hi, lo); }

/// "{a, b, ...}" of parts given MSB first; one part stands alone.
inline std::string concat(const std::vector<std::string>& parts) {
    if (parts.size() == 1) return parts[0];
    std::string cat = "{";
    for (std::size_t p = 0; p < parts.size(); ++p) cat += (p ? ", " : "") + parts[p];
    return cat + "}";
}

class Emitter {
public:
    // `pipe`: plan_pipeline's placement of g (or plan_regrouped's of its regrouped graph).
    Emitter(const ir::Graph& g, std::string_view name, const VerilogOptions& opt, Pipeline pipe)
        : g_(g), opt_(opt), pipe_(std::move(pipe)) {
        mod_.name = std::string(name);
        mod_.ports = port_layout(g);
        sigs_.resize(g.size());
        for (std::size_t j = 0; j < g.size(); ++j) sigs_[j] = sig_of(g[NodeId(j)].range);
        input_port_.assign(g.size(), -1);
        for (std::size_t p = 0; p < g.inputs.size(); ++p) input_port_[std::size_t(g.inputs[p])] = int(p);
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
    Pipeline pipe_;                // each node's stage and register ranks
    std::vector<int> input_port_;  // node -> input element (or -1)
    std::string copy_;             // "" or "_p<t>": suffix of the helper wires of a view's stage copy

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
                s += fmt::format("quantize {} {} {} {}", r(n.a), to_string(q.format), to_string(q.round),
                                 to_string(q.overflow));
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
        line("// Module {}: {} input elements ({} bits), {} output elements ({} bits); {}.", mod_.name, p.inputs.size(),
             p.in_bits, p.outputs.size(), p.out_bits,
             mod_.clocked ? fmt::format("pipelined, latency {} cycles, II = 1 ({}{}{}), {} register bits", mod_.latency,
                                        mod_.latency_cutoff > 0 ? fmt::format("cut-off {} levels", mod_.latency_cutoff)
                                                                : std::string("no cut-off"),
                                        pipe_.register_inputs ? ", registered inputs" : "",
                                        pipe_.register_outputs ? ", registered outputs" : "", pipe_.register_bits)
                          : std::string("combinational"));
        line("// Port layout (element: kif, bits): see {}.json. Wires n<id> are the IR nodes %<id>.", mod_.name);
        line("`default_nettype none");
        line("// Free truncations (quantizers, bit tests, wrap-around, a comparison's sign, a sum's zero");
        line("// LSB) read only some bits of a wire (or of inp) by design: the one lint waiver.");
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
            return (held >> b) & 1                  ? registered
                   : std::size_t(b) < copies.size() ? copied
                   : (vary >> b) & 1                ? unused
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

    // --- one expression per op, of exactly the node's width (verilog_expr.cpp) ----------
    std::string expr(NodeId id, int st);
    // Quantize: rounding, then overflow handling, then the node's exponent.
    std::string quantize(NodeId id, int st);
    std::pair<std::string, int> quantize_round(NodeId id, int st);
    std::string negative_difference(NodeId id, const std::string& x, const std::string& y, int W);
    /// x op y (w bits) as one carry chain of its own (verilog_expr.cpp: why).
    std::string one_carry_chain(NodeId id, const std::string& x, char op, const std::string& y, int w);
    std::string quantize_overflow(NodeId id, const std::string& v, int Wv);
    std::string quantize_rescale(NodeId id, const std::string& r, int Wv);
    // A lookup table as a case statement in an always block (a reg).
    void table(NodeId id, int st);
};

}  // namespace fixvar::backend::detail
