#pragma once
// The IR's op kinds, with a summary of each op's range rule, cost model and latency model.
// The rules themselves are the op table, src/ir/op_table.cpp: one block and one row per op with
// its name, arity, payload kind (and the values it may take), range, cost and delay rules, its
// bit-exact value and its checks; Graph::append (rule_range, node_cost, node_delay), the
// interpreter, constant folding and the text form read it. A new op is an enumerator here, a
// block and row there, and its emitter case (src/backend/verilog_expr.cpp, read_bits.cpp).
//
// Notation: a node's value is m * 2^e with lo <= m <= hi (ExactRange). w(x) is the width of
// x's minimal kif. Delay (ir::Delay, graph.hpp) is in the levels Yosys' ltp counts: a LUT is 1,
// a carry chain C(w) is 2 to its first four bits plus a tail of ceil(w/4) - 1 to its last;
// "whole" = after every operand bit, else after the operand bits a chain starts on (its first).
// Cost is an estimate of 6-input LUTs (bit cells).
//
//  op        operands  payload              range rule                                  cost / delay
//  Input     -         port (or input id)   the port's full kif range                   0 / 0
//  Const     -         -                    [c, c] (normalized, c odd or 0)              0 / 0
//  Add       a, b      shift s, subtract    a ± b*2^s: interval sum at min(ea, eb+s)     lut bits / C(w)
//  Shift     a         s                    a*2^s: exponent e+s, same mantissa (a wire)  0 / 0, a's tail
//  Neg       a         -                    [-hi, -lo]                                   w / C(w)
//  Mul       a, b      -                    min/max of the four corner products          wa*wb / 1+lg+C(wa+wb) (**)
//  Quantize  a         quantizer index      core/quantize.hpp (round, then overflow)     (*) (***)
//  Relu      a         -                    [max(lo,0), max(hi,0)]                       w / 1, whole
//  Abs       a         -                    [0 or min|.|, max(|lo|,|hi|)]                w / C(w), whole
//  Max, Min  a, b      -                    [max(lo), max(hi)] / [min(lo), min(hi)]      2w / C(max wa,wb)+1
//  Cmp       a, b      predicate            [0, 1] (1 bit)                               w / C(max wa,wb)
//  Select    c, a, b   -                    hull(a, b); c is a 1-bit condition           w / 1, whole
//  Table     a         table index          [min, max] of the stored entries             ROM / 1+.., whole
//  Bit       a         bit position p       [0, 1]: bit p of a's two's complement m      0 / 0, whole
//
// (*) Quantize costs w+1 when it rounds (a finer input, not TRN) plus w when a rounded value can
// leave the kept bounds (not WRAP); a quantize the input already fits is free.
// (**) lg = log2(min(wa, wb)), the depth of the partial-product tree; whole.
// (***) Rounding: C(input width); saturation: 2 (an overflow test and a mux) after the rounded
// value's last bit, whole when it does not round; a free quantize: 0, whole (it keeps some bits).
//
// The builder may hold a node tighter than its rule, never looser, by a proven fact about its
// value: an optimizer's exact range (GraphBuilder::assume_range) or the exact range of its linear
// form over atoms (core/linear_range.hpp: (x + y) - y has x's range, a sum over a matmul's
// outputs counts each shared input once). Later nodes apply their rules to the tighter range.
//
// "cells" of an adder: from the coarser operand's LSB (after the shift) up to the MSB of the
// result, sign included — the length of its carry chain (the same metric the CMVM optimizer
// reports as `cost`). "lut bits": the cells up to the wider operand's MSB only; the result bits
// above it (carry-out, sign extension) share that MSB's LUT (measured against Yosys in
// bench/synth_estimate.cpp: a 9-bit sum of two 8-bit operands is 8 LUTs).
#include <cstdint>
#include <string_view>

namespace fixvar::ir {

enum class Op : std::uint8_t {
    Input,
    Const,
    Add,
    Shift,
    Neg,
    Mul,
    Quantize,
    Relu,
    Abs,
    Max,
    Min,
    Cmp,
    Select,
    Table,
    Bit,
};
inline constexpr int op_count = 15;

/// Predicates of Cmp.
enum class Pred : std::uint8_t { LT, LE, GT, GE, EQ, NE };

std::string_view to_string(Op op);
std::string_view to_string(Pred p);
/// Number of operands an op takes (0..3).
int arity(Op op);

}  // namespace fixvar::ir
