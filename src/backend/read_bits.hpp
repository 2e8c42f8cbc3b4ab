#pragma once
// Which bits of a wire carry information, and which bits of an operand's wire each op's Verilog
// reads: the pipeline registers exactly the bits that vary and are read (Yosys removes the
// rest, so this is also how its flip-flop count is predicted).
#include <fixvar/core/range.hpp>
#include <fixvar/core/wide.hpp>
#include <fixvar/ir/graph.hpp>

#include <vector>

namespace fixvar::backend::detail {

/// Bit j of a node's wire is bit j of the mask (widths are at most max_width = 120 bits).
using BitMask = u128;

constexpr BitMask low_bits(int n) { return n <= 0 ? 0 : n >= 128 ? ~BitMask(0) : (BitMask(1) << n) - 1; }
int popcount(BitMask m);

/// The bits of a range's minimal-width two's complement word that differ between some two
/// values of the range: every bit above the highest bit where lo and hi differ is the same
/// for all of [lo, hi] (a constant prefix, never registered).
BitMask varying_bits(const ExactRange& r);

/// The bits of `operand`'s wire that the expression emitted for node `n` needs to produce the
/// `demanded` bits of n (the union over the operand slots holding `operand`). Mirrors
/// src/backend/verilog_expr.cpp's expressions.
BitMask read_bits(const ir::Graph& g, const ir::Node& n, ir::NodeId operand, BitMask demanded);

/// Per node: the bits of its wire that some output depends on (outputs demand every bit).
std::vector<BitMask> demanded_bits(const ir::Graph& g);

/// For each bit of a view's wire: the bit of its operand's wire it copies, -1 for a constant 0,
/// -2 when the view is not a plain bit selection. Found by evaluating the view on one-bit
/// operands (a selection is linear over the bits: each output bit follows at most one of
/// them), then confirmed on mixed operands.
std::vector<int> view_bit_sources(const ir::Graph& g, ir::NodeId view);

/// A view: a node that is only a selection of its one operand's bits (a shift, a quantizer
/// without rounding or saturation logic, a bit test) -- no logic, no delay. A pipeline never
/// registers a view: each stage that reads it rebuilds it from its operand's copy.
bool is_view(const ir::Graph& g, ir::NodeId id);

}  // namespace fixvar::backend::detail
