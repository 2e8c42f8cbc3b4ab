// Each op's Verilog expression, of exactly the node's width (the Emitter: verilog_emitter.hpp).
//
// Every expression built here has an exact, known width, so the text is lint clean under
// `verilator -Wall` (no implicit extension or truncation anywhere). Values are extended to
// the width an op needs by sign- or zero-extension according to their own signedness, and
// results are taken modulo 2^width: exact because every node's range is exact.
#include <fixvar/core/quantize.hpp>

#include "backend/verilog_emitter.hpp"

#include <algorithm>
#include <cmath>

namespace fixvar::backend::detail {

std::string Emitter::expr(NodeId id, int st) {
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
            return one_carry_chain(id, x, n.subtract() ? '-' : '+', y, w);
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
            // max: a - b < 0 picks b; min: b - a < 0 picks b (ties pick a).
            std::string x = shl(n.a, st, da, W + 1), y = shl(n.b, st, db, W + 1);
            return fmt::format("{} ? {} : {}",
                               negative_difference(id, n.op == Op::Max ? x : y, n.op == Op::Max ? y : x, W + 1),
                               shl(n.b, st, db, w), shl(n.a, st, da, w));
        }
        case Op::Cmp: {
            int m = !sig(n.a).w ? exp_of(n.b) : !sig(n.b).w ? exp_of(n.a) : std::min(exp_of(n.a), exp_of(n.b));
            int da = sig(n.a).w ? exp_of(n.a) - m : 0, db = sig(n.b).w ? exp_of(n.b) - m : 0;
            int W = std::max(exact_signed_width(n.a, da), exact_signed_width(n.b, db));
            FIXVAR_ASSERT(w == 1);
            std::string x = shl(n.a, st, da, W + 1), y = shl(n.b, st, db, W + 1);
            switch (n.pred()) {
                case ir::Pred::LT: return negative_difference(id, x, y, W + 1);
                case ir::Pred::LE: return "!" + negative_difference(id, y, x, W + 1);
                case ir::Pred::GT: return negative_difference(id, y, x, W + 1);
                case ir::Pred::GE: return "!" + negative_difference(id, x, y, W + 1);
                case ir::Pred::EQ: return fmt::format("{} == {}", x, y);
                case ir::Pred::NE: return fmt::format("{} != {}", x, y);
            }
            break;
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
std::string Emitter::quantize(NodeId id, int st) {
    const Node& n = g_[id];
    const ir::Quantizer& q = g_.quantizer(n.param);
    const ExactRange& in = g_[n.a].range;
    const int w = sig(id).w;
    if (sig(n.a).w == 0) return zero(w);  // quantize(0) = 0 (then the node is constant anyway)
    if (quantize_is_identity(in, q.format, q.round, q.overflow) && n.range.exp == in.exp) return ext(n.a, st, w);
    auto [v, Wv] = quantize_round(id, st);
    std::string r = quantize_overflow(id, v, Wv);
    return quantize_rescale(id, r, Wv);
}

// x - y < 0 for two W-bit operands one bit wider than either value: the sign of an explicit
// difference (wire n<id>_d), so that synthesis builds the comparison as one carry chain, as the
// delay model has it (a relational operator was split by Yosys into a short chain and a ripple
// of LUTs: digits_cnn's longest stage had 16 levels for the model's 11).
std::string Emitter::negative_difference(NodeId id, const std::string& x, const std::string& y, int W) {
    std::string d = fmt::format("n{}{}_d", id, copy_);
    line("  wire [{}:0] {} = {} - {};", W - 1, d, x, y);
    return fmt::format("{}[{}]", d, W - 1);
}

// Yosys' alumacc merges a sum into its reader when the reader adds its whole output at the
// same width and nothing else reads it: a chain of such sums becomes one multi-operand adder,
// full-adder LUTs ahead of a carry chain, a logic level per merge that the delay model does not
// count and more LUTs than the chain (the seven sample designs: 3% of their LUTs, 3 levels). A
// sum written with a zero LSB and read from bit 1 is a slice of its adder's output, never the
// whole of it, so every sum stays one carry chain of its own.
std::string Emitter::one_carry_chain(NodeId id, const std::string& x, char op, const std::string& y, int w) {
    if (w == 0) return fmt::format("{} {} {}", x, op, y);
    std::string s = fmt::format("n{}{}_s", id, copy_);
    line("  wire [{}:0] {} = {{{}, 1'b0}} {} {{{}, 1'b0}};", w, s, x, op, y);
    return fmt::format("{}[{}:1]", s, w);
}

// The rounded value v (wire n<id>_v) at the quantizer's step, and its width Wv in signed bits.
std::pair<std::string, int> Emitter::quantize_round(NodeId id, int st) {
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
        case Round::RND_CONV: up = fmt::format("{} & ({} | {}[{}])", half, rest, x, s); break;
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
std::string Emitter::quantize_overflow(NodeId id, const std::string& v, int Wv) {
    const Node& n = g_[id];
    const ir::Quantizer& q = g_.quantizer(n.param);
    const ExactRange& in = g_[n.a].range;
    const int wq = q.format.width();
    const i128 lo = q.format.k ? -pow2(q.format.i + q.format.f) : 0;
    const i128 hi = pow2(q.format.i + q.format.f) - 1;
    i128 rl = round_mantissa(in.lo, in.exp, q.format.f, q.round);
    i128 rh = round_mantissa(in.hi, in.exp, q.format.f, q.round);
    // What the mode keeps: signed SAT_SYM keeps -max, not -2^(i+f), so -2^(i+f) needs the clamp.
    const ExactRange keep = fixvar::detail::kept_range(q.format, q.overflow);
    if (keep.lo <= rl && rh <= keep.hi) return v;
    std::string r = fmt::format("n{}{}_r", id, copy_);
    std::string sv = fmt::format("$signed({})", v);
    auto slit = [&](i128 c) { return fmt::format("$signed({})", lit(c, Wv)); };
    switch (q.overflow) {
        case Overflow::WRAP: {
            std::string low = v + bits(wq - 1, 0);
            std::string fill = q.format.k ? fmt::format("{{{}{{{}[{}]}}}}", Wv - wq, v, wq - 1) : zero(Wv - wq);
            line("  wire signed [{}:0] {} = {{{}, {}}};", Wv - 1, r, fill, low);
            break;
        }
        case Overflow::SAT:
        case Overflow::SAT_SYM: {
            i128 l = q.overflow == Overflow::SAT_SYM && q.format.k ? -hi : lo;
            line("  wire signed [{}:0] {} = ({} < {}) ? {} : ({} > {}) ? {} : {};", Wv - 1, r, sv, slit(l), lit(l, Wv),
                 sv, slit(hi), lit(hi, Wv), v);
            break;
        }
        case Overflow::SAT_ZERO:
            line("  wire signed [{}:0] {} = ({} < {} || {} > {}) ? {} : {};", Wv - 1, r, sv, slit(lo), sv, slit(hi),
                 zero(Wv), v);
            break;
    }
    return r;
}

// r (Wv signed bits at the quantizer's step 2^t) re-expressed at the node's exponent e in
// its w bits (identity quantizers keep the input grid).
std::string Emitter::quantize_rescale(NodeId id, const std::string& r, int Wv) {
    const Node& n = g_[id];
    const int w = sig(id).w, t = -g_.quantizer(n.param).format.f, e = n.range.exp;
    if (e <= t) {
        int d = t - e;
        if (d >= w) return zero(w);
        std::string low =
            w - d >= Wv ? fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", w - d - Wv, r, Wv - 1, r) : r + bits(w - d - 1, 0);
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

void Emitter::table(NodeId id, int st) {
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

}  // namespace fixvar::backend::detail
