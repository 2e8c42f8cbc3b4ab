// The op table: each IR op's rules in one block below, and the table of rows at the end
// (ir/op.hpp has the summary; src/ir/op_table.hpp the row type). Notation as in ir/op.hpp:
// a value is m * 2^e with lo <= m <= hi; w is the width of a range's minimal kif; delays are
// ir::Delay (levels as Yosys' ltp counts them), costs in 6-input LUTs. `a`, `b`, `c` are the operands.
#include "ir/op_table.hpp"

#include "ir/eval.hpp"

#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace fixvar::ir {
namespace {

const ExactRange& ra(const Graph& g, const Node& n) { return g[n.a].range; }
const ExactRange& rb(const Graph& g, const Node& n) { return g[n.b].range; }

// Delays: a LUT level is 1; a carry chain is a LUT and its first CARRY4 (2), then one level per
// further group of four bits (its tail).
constexpr float kLut = 1, kChain = 2;
float ripple(int width) { return float(std::max(0, (width + 3) / 4 - 1)); }
// A comparison: a subtraction's chain over the wider operand, whose last bit decides.
float compare_delay(const Graph& g, const Node& n) {
    return kChain + ripple(std::max(ra(g, n).width(), rb(g, n).width()));
}

int table_input_bits(const ExactRange& r) { return bit_length(u128(r.hi - r.lo)); }

// m (at exponent from) re-expressed at the finer-or-equal exponent `to` (0 has no grid).
inline i128 align(i128 m, int from, int to) { return m == 0 ? 0 : m * pow2(from - to); }

// m at exponent `from` re-expressed at `to` in either direction (exact by construction).
inline i128 rescale(i128 m, int from, int to) { return from >= to ? align(m, from, to) : m >> (to - from); }

// The data half of a row: the op, its name in the text form, its operand count, its payload.
struct OpHead {
    Op op;
    std::string_view name;
    int arity;
    Payload payload;
};

// What an op has unless its block says otherwise: free (a wire), instant, no own checks.
struct Rules {
    static float cost(const Graph&, const Node&) { return 0; }
    static Delay delay(const Graph&, const Node&) { return {}; }
    static void check(const Graph&, const Node&, NodeId) {}
};

// input: a port. Range: the port's format, set by whoever appends it.
struct InputOp : Rules {
    static constexpr OpHead head{Op::Input, "input", 0, Payload::port};
    static ExactRange range(const Graph&, const Node& n) { return n.range; }
    static i128 eval(const Graph&, const Node&, i128, i128, i128) {
        FIXVAR_ASSERT(!"inputs are not evaluated");
        return 0;
    }
    static void check(const Graph&, const Node& n, NodeId id) {
        if (n.range.lo > n.range.hi) fail("input", "node %{}: empty range {}", id, fixvar::to_string(n.range));
    }
};

// const: [c, c]*2^e, normalized (c odd, or [0, 0]*2^0). 6 = [3, 3]*2^1.
struct ConstOp : Rules {
    static constexpr OpHead head{Op::Const, "const", 0, Payload::none};
    static ExactRange range(const Graph&, const Node& n) { return n.range; }
    static i128 eval(const Graph&, const Node& n, i128, i128, i128) { return n.range.lo; }
    static void check(const Graph&, const Node& n, NodeId id) {
        ExactRange normal = ExactRange::constant(n.range.lo, n.range.exp);
        if (!(n.range == normal) || n.range.lo != n.range.hi)
            fail("const",
                 "node %{}: {} is not a normalized constant (lo == hi, odd mantissa, or "
                 "[0, 0]*2^0); write {}",
                 id, fixvar::to_string(n.range), fixvar::to_string(normal));
    }
};

// add/sub: a ± b*2^s, the interval sum at min(ea, eb+s). [0,3]*2^0 + [0,3]*2^0 << 1 = [0,9]*2^0.
// Cost: LUT bits; delay: a carry chain of w.
struct AddOp : Rules {
    static constexpr OpHead head{Op::Add, "add", 2, Payload::shifted_operand};
    static ExactRange range(const Graph& g, const Node& n) {
        return range_add(ra(g, n), range_shift(rb(g, n), n.param), n.subtract());
    }
    static float cost(const Graph& g, const Node& n) {
        // One LUT per result bit from the coarser operand's LSB up to the wider operand's MSB.
        // Result bits above that are carry-out / sign extension: every one of them needs the
        // same propagate function as the wider operand's MSB (a_sign xor b_sign), which the
        // mapper shares, so they cost no LUT of their own (Yosys: an 8-bit + 8-bit adder with
        // a 9-bit result is 8 LUTs). Calibrated in bench/synth_estimate.cpp.
        kif r = n.range.minimal_kif(), ka = ra(g, n).minimal_kif(), kb = rb(g, n).minimal_kif();
        int coarser_lsb = std::max(ra(g, n).exp, rb(g, n).exp + n.param);
        int operand_top = std::max(ka.i + ka.k, kb.i + kb.k + n.param);
        return float(std::max(1, std::min(r.i + r.k, operand_top) - coarser_lsb));
    }
    static Delay delay(const Graph&, const Node& n) { return carry_chain(n.range.width()); }
    static i128 eval(const Graph& g, const Node& n, i128 a, i128 b, i128) {
        int e = n.range.exp;
        i128 x = align(a, ra(g, n).exp, e), y = align(b, rb(g, n).exp + n.param, e);
        return n.subtract() ? x - y : x + y;
    }
    // The batch scales by factors computed once (an operand that is always 0 has none).
    static void eval_batch(const Graph& g, const Node& n, OperandColumns x, i128* r, std::size_t count) {
        int e = n.range.exp;
        auto factor = [&](const ExactRange& ro, int shift) {
            return ro.lo == 0 && ro.hi == 0 ? i128(0) : pow2(ro.exp + shift - e);
        };
        i128 fa = factor(ra(g, n), 0), fb = factor(rb(g, n), n.param);
        if (n.subtract())
            for (std::size_t s = 0; s < count; ++s) r[s] = x.a[s] * fa - x.b[s] * fb;
        else
            for (std::size_t s = 0; s < count; ++s) r[s] = x.a[s] * fa + x.b[s] * fb;
    }
};

// shift: a*2^s, exponent e+s and the same mantissa. A wire: free.
struct ShiftOp : Rules {
    static constexpr OpHead head{Op::Shift, "shift", 1, Payload::shift};
    static ExactRange range(const Graph& g, const Node& n) { return range_shift(ra(g, n), n.param); }
    // A wire: its bits arrive as its operand's do.
    static Delay delay(const Graph& g, const Node& n) { return {0, op_rules(g[n.a].op).delay(g, g[n.a]).tail, false}; }
    static i128 eval(const Graph&, const Node&, i128 a, i128, i128) { return a; }
};

// neg: [-hi, -lo]. Cost w, delay a carry chain of w.
struct NegOp : Rules {
    static constexpr OpHead head{Op::Neg, "neg", 1, Payload::none};
    static ExactRange range(const Graph& g, const Node& n) { return range_neg(ra(g, n)); }
    static float cost(const Graph&, const Node& n) { return float(n.range.width()); }
    static Delay delay(const Graph&, const Node& n) { return carry_chain(n.range.width()); }
    static i128 eval(const Graph&, const Node&, i128 a, i128, i128) { return -a; }
};

// mul: min/max of the four corner products. [-2,3] * [-4,1] = [-12,8]. Cost wa*wb; delay
// 1 + log2(min(wa, wb)) (the partial-product tree) + a whole carry chain of wa + wb, after
// every operand bit.
struct MulOp : Rules {
    static constexpr OpHead head{Op::Mul, "mul", 2, Payload::none};
    static ExactRange range(const Graph& g, const Node& n) { return range_mul(ra(g, n), rb(g, n)); }
    static float cost(const Graph& g, const Node& n) { return float(ra(g, n).width() * rb(g, n).width()); }
    static Delay delay(const Graph& g, const Node& n) {
        int wa = ra(g, n).width(), wb = rb(g, n).width();
        return {kLut + std::log2(float(std::max(1, std::min(wa, wb)))) + kChain + ripple(wa + wb), 0, true};
    }
    static i128 eval(const Graph&, const Node&, i128 a, i128 b, i128) { return a * b; }
};

// quantize: core/quantize.hpp (round to 2^-f, then overflow), on the step 2^-f. Cost: w + 1
// when it rounds, + w when a rounded value can leave the kept bounds; 0 when the input fits.
struct QuantizeOp : Rules {
    static constexpr OpHead head{Op::Quantize, "quantize", 1, Payload::quantizer};
    static ExactRange range(const Graph& g, const Node& n) {
        // A quantize node always sits on its own step 2^-f, even when a (later tightened)
        // input would make it the identity: its grid must not depend on operand ranges.
        const Quantizer& q = g.quantizer(n.param);
        ExactRange r = quantize_range(ra(g, n), q.format, q.round, q.overflow);
        if (r.lo == 0 && r.hi == 0) return ExactRange{0, 0, -q.format.f};
        return r.exp > -q.format.f ? r.at_exp(-q.format.f) : r;
    }
    // Which logic it needs: a rounding adder, saturation (a rounded value can leave the kept
    // bounds; for a signed SAT_SYM that excludes -2^i itself), or neither (a wire).
    struct Parts {
        bool rounds, saturates;
    };
    static Parts parts(const Graph& g, const Node& n) {
        const Quantizer& q = g.quantizer(n.param);
        const ExactRange& in = ra(g, n);
        i128 rl = round_mantissa(in.lo, in.exp, q.format.f, q.round);
        i128 rh = round_mantissa(in.hi, in.exp, q.format.f, q.round);
        ExactRange full = ExactRange::of(q.format);
        i128 keep_lo = q.overflow == Overflow::SAT_SYM && q.format.k ? -full.hi : full.lo;
        return {in.exp < -q.format.f && q.round != Round::TRN,
                q.overflow != Overflow::WRAP && (rl < keep_lo || rh > full.hi)};
    }
    static float cost(const Graph& g, const Node& n) {
        const auto [rounds, saturates] = parts(g, n);
        int w = n.range.width();
        return float((rounds ? w + 1 : 0) + (saturates ? w : 0));
    }
    // Rounding: a carry chain over the input. Saturation: an overflow test on the top bits and a
    // mux, after the rounded value's last bits. Neither: a wire that keeps some of the bits.
    static Delay delay(const Graph& g, const Node& n) {
        const auto [rounds, saturates] = parts(g, n);
        const int in = ra(g, n).width();
        if (rounds && saturates) return {kChain + ripple(in) + 2 * kLut, 0, false};
        if (rounds) return carry_chain(std::max(in, n.range.width()));
        return {saturates ? 2 * kLut : 0, 0, true};
    }
    static i128 eval(const Graph& g, const Node& n, i128 a, i128, i128) {
        const Quantizer& q = g.quantizer(n.param);
        i128 r = quantize_mantissa(a, ra(g, n).exp, q.format, q.round, q.overflow);
        return rescale(r, -q.format.f, n.range.exp);  // identity quantizers keep the input grid
    }
};

// relu: [max(lo, 0), max(hi, 0)]. Cost w (a mask by the sign), delay a LUT after the sign.
struct ReluOp : Rules {
    static constexpr OpHead head{Op::Relu, "relu", 1, Payload::none};
    static ExactRange range(const Graph& g, const Node& n) { return range_relu(ra(g, n)); }
    static float cost(const Graph&, const Node& n) { return float(n.range.width()); }
    static Delay delay(const Graph&, const Node&) { return {kLut, 0, true}; }
    static i128 eval(const Graph&, const Node&, i128 a, i128, i128) { return a > 0 ? a : 0; }
};

// abs: [0 or min |.|, max(|lo|, |hi|)]. Cost w, delay a carry chain of w after the sign (a
// conditional negation).
struct AbsOp : Rules {
    static constexpr OpHead head{Op::Abs, "abs", 1, Payload::none};
    static ExactRange range(const Graph& g, const Node& n) { return range_abs(ra(g, n)); }
    static float cost(const Graph&, const Node& n) { return float(n.range.width()); }
    static Delay delay(const Graph&, const Node& n) { return carry_chain(n.range.width(), true); }
    static i128 eval(const Graph&, const Node&, i128 a, i128, i128) { return a < 0 ? -a : a; }
};

// max / min: [max(lo), max(hi)] / [min(lo), min(hi)] on the finer grid. Cost 2w (compare and
// mux), delay the comparison's (below) and a mux.
template <Op Kind>
struct ExtremumOp : Rules {
    static constexpr bool is_max = Kind == Op::Max;
    static constexpr OpHead head{Kind, is_max ? "max" : "min", 2, Payload::none};
    static ExactRange range(const Graph& g, const Node& n) {
        return is_max ? range_max(ra(g, n), rb(g, n)) : range_min(ra(g, n), rb(g, n));
    }
    static float cost(const Graph&, const Node& n) { return float(2 * n.range.width()); }
    static Delay delay(const Graph& g, const Node& n) { return {compare_delay(g, n) + kLut, 0, false}; }
    static i128 eval(const Graph& g, const Node& n, i128 a, i128 b, i128) {
        int e = n.range.exp;
        i128 x = align(a, ra(g, n).exp, e), y = align(b, rb(g, n).exp, e);
        return is_max ? std::max(x, y) : std::min(x, y);
    }
};

// cmp.<pred>: [0, 1] (1 bit). Cost and delay: a subtractor of the wider operand's width, whose
// last bit is the answer.
struct CmpOp : Rules {
    static constexpr OpHead head{Op::Cmp, "cmp", 2, Payload::predicate};
    static ExactRange range(const Graph&, const Node&) { return ExactRange{0, 1, 0}; }
    static float cost(const Graph& g, const Node& n) { return float(std::max(ra(g, n).width(), rb(g, n).width())); }
    static Delay delay(const Graph& g, const Node& n) { return {compare_delay(g, n), 0, false}; }
    static i128 eval(const Graph& g, const Node& n, i128 a, i128 b, i128) {
        int m = std::min(ra(g, n).exp, rb(g, n).exp);
        i128 x = align(a, ra(g, n).exp, m), y = align(b, rb(g, n).exp, m);
        switch (n.pred()) {
            case Pred::LT: return x < y;
            case Pred::LE: return x <= y;
            case Pred::GT: return x > y;
            case Pred::GE: return x >= y;
            case Pred::EQ: return x == y;
            case Pred::NE: return x != y;
        }
        return 0;
    }
};

// select c, a, b: c ? a : b, the hull of a and b; c is a 1-bit condition. Cost w, delay a
// LUT (a mux) after every operand bit.
struct SelectOp : Rules {
    static constexpr OpHead head{Op::Select, "select", 3, Payload::none};
    static ExactRange range(const Graph& g, const Node& n) { return range_hull(rb(g, n), g[n.c].range); }
    static float cost(const Graph&, const Node& n) { return float(n.range.width()); }
    static Delay delay(const Graph&, const Node&) { return {kLut, 0, true}; }
    static i128 eval(const Graph& g, const Node& n, i128 a, i128 b, i128 c) {
        int e = n.range.exp;
        return a ? align(b, rb(g, n).exp, e) : align(c, g[n.c].range.exp, e);
    }
    static void check(const Graph& g, const Node& n, NodeId id) {
        if (!is_condition(ra(g, n)))
            fail("where",
                 "node %{}: the condition must be a 1-bit value (a comparison or msb), "
                 "got range {}",
                 id, fixvar::to_string(ra(g, n)));
    }
};

// table: [min, max] of the stored entries (one per input value). Cost: w LUTs per 64 input
// values; delay 1 + a mux level per 2 input bits past 6, after every input bit.
struct TableOp : Rules {
    static constexpr OpHead head{Op::Table, "table", 1, Payload::table};
    static ExactRange range(const Graph& g, const Node& n) {
        const Table& t = g.table(n.param);
        auto [lo, hi] = std::minmax_element(t.values.begin(), t.values.end());
        return ExactRange{*lo, *hi, t.exp};
    }
    static float cost(const Graph& g, const Node& n) {
        int in_bits = table_input_bits(ra(g, n));
        return float(n.range.width()) * std::max(1.0f, std::ldexp(1.0f, in_bits - 6));
    }
    static Delay delay(const Graph& g, const Node& n) {
        int in_bits = table_input_bits(ra(g, n));
        return {1 + float(std::max(0, in_bits - 6 + 1) / 2), 0, true};
    }
    static i128 eval(const Graph& g, const Node& n, i128 a, i128, i128) {
        const Table& t = g.table(n.param);
        return t.values[std::size_t(a - t.in_lo)];
    }
    static void check(const Graph& g, const Node& n, NodeId id) {
        const Table& t = g.table(n.param);
        const ExactRange& in = ra(g, n);
        if (u128(in.hi - in.lo) >= u128(1) << max_table_bits)
            fail("table",
                 "node %{}: input range {} has more than 2^{} values; a table input has "
                 "at most {} bits (quantize it first)",
                 id, fixvar::to_string(in), max_table_bits, max_table_bits);
        if (t.in_lo != in.lo || std::size_t(in.hi - in.lo + 1) != t.values.size())
            fail("table", "table has {} entries from {} but its input range is {}", t.values.size(),
                 fixvar::to_string(t.in_lo), fixvar::to_string(in));
    }
};

// bit p: [0, 1], bit p of a's two's complement mantissa (127: the sign). A wire: free, but
// its bit may be the operand's last to arrive.
struct BitOp : Rules {
    static constexpr OpHead head{Op::Bit, "bit", 1, Payload::bit};
    static Delay delay(const Graph&, const Node&) { return {0, 0, true}; }
    static ExactRange range(const Graph&, const Node&) { return ExactRange{0, 1, 0}; }
    static i128 eval(const Graph&, const Node& n, i128 a, i128, i128) {
        return n.param >= 127 ? (a < 0 ? 1 : 0) : ((a >> n.param) & 1);
    }
};

// eval over a batch, one sample at a time (the call to R::eval is direct, so it inlines).
template <class R>
void eval_each(const Graph& g, const Node& n, OperandColumns x, i128* out, std::size_t count) {
    constexpr int k = R::head.arity;
    for (std::size_t s = 0; s < count; ++s)
        out[s] = R::eval(g, n, k > 0 ? x.a[s] : 0, k > 1 ? x.b[s] : 0, k > 2 ? x.c[s] : 0);
}

// The row of the rules block R (its own eval_batch if it has one, else eval_each<R>).
template <class R>
constexpr OpRules row() {
    OpRules r{R::head.op, R::head.name, R::head.arity, R::head.payload, &R::range,
              &R::cost,   &R::delay,    &R::eval,      &eval_each<R>,   &R::check};
    if constexpr (requires { &R::eval_batch; }) r.eval_batch = &R::eval_batch;
    return r;
}

}  // namespace

Delay carry_chain(int width, bool whole_operands) { return {kChain, ripple(width), whole_operands}; }

// The table: one row per Op, in the enum's order (checked below), each made from its block.
constexpr OpRules op_table[op_count] = {
    row<InputOp>(),
    row<ConstOp>(),
    row<AddOp>(),
    row<ShiftOp>(),
    row<NegOp>(),
    row<MulOp>(),
    row<QuantizeOp>(),
    row<ReluOp>(),
    row<AbsOp>(),
    row<ExtremumOp<Op::Max>>(),
    row<ExtremumOp<Op::Min>>(),
    row<CmpOp>(),
    row<SelectOp>(),
    row<TableOp>(),
    row<BitOp>(),
};

static_assert(
    [] {
        for (int j = 0; j < op_count; ++j)
            if (op_table[j].op != Op(j)) return false;
        return true;
    }(),
    "op_table: one row per Op, in the enum's order");

// Each payload kind's range, then the op's own checks (messages name the op and the node).
void check_payload(const Graph& g, const Node& n, NodeId id) {
    const OpRules& rules = op_rules(n.op);
    std::string name{rules.name};
    const char* op = name.c_str();
    constexpr int max_shift = 2 * max_exponent;  // exponents lie within +-max_exponent
    switch (rules.payload) {
        case Payload::none: break;
        case Payload::port:
            if (n.param < 0) fail(op, "node %{}: port {} must be >= 0", id, n.param);
            break;
        case Payload::shifted_operand:
        case Payload::shift:
            if (n.flag > (rules.payload == Payload::shifted_operand ? 1 : 0))
                fail(op, "node %{}: invalid flag {}", id, int(n.flag));
            if (n.param < -max_shift || n.param > max_shift)
                fail(op, "node %{}: shift {} is outside +-{}", id, n.param, max_shift);
            break;
        case Payload::bit:
            if (n.param < 0 || n.param > 127)
                fail(op, "node %{}: bit position {} must be between 0 and 127 (127: the sign)", id, n.param);
            break;
        case Payload::quantizer:
            if (n.param < 0 || std::size_t(n.param) >= g.quantizers().size())
                fail(op, "node %{}: quantizer {} does not exist", id, n.param);
            break;
        case Payload::table:
            if (n.param < 0 || std::size_t(n.param) >= g.tables().size())
                fail(op, "node %{}: table {} does not exist", id, n.param);
            break;
        case Payload::predicate:
            if (n.flag > std::uint8_t(Pred::NE)) fail(op, "node %{}: unknown predicate {}", id, int(n.flag));
            break;
    }
    rules.check(g, n, id);
}

i128 eval_node(const Graph& g, const Node& n, i128 a, i128 b, i128 c) { return op_rules(n.op).eval(g, n, a, b, c); }

}  // namespace fixvar::ir
