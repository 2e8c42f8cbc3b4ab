#pragma once
// Graph: nodes in topological order (SSA ids = positions), with side tables for quantizer
// settings and lookup tables. `append` computes a node's exact range, cost and latency from
// the op rules without any simplification; GraphBuilder (builder.hpp) adds hash-consing,
// folding and canonical forms on top.
#include <cstdint>
#include <span>
#include <vector>

#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/ir/op.hpp>

namespace fixvar::ir {

using NodeId = std::int32_t;
inline constexpr NodeId no_node = -1;

struct Node {
    Op op = Op::Const;
    std::uint8_t flag = 0;  ///< Add: 1 = subtract; Cmp: Pred
    NodeId a = no_node, b = no_node, c = no_node;
    std::int32_t param = 0;  ///< Add/Shift: shift; Input: port; Quantize/Table: index; Bit: position
    float latency = 0;       ///< estimated arrival of its last bit (levels, see Delay)
    float cost = 0;          ///< estimated LUTs of this node alone
    ExactRange range;

    bool subtract() const { return flag != 0; }
    Pred pred() const { return Pred(flag); }
};

struct Quantizer {
    kif format;
    Round round = Round::TRN;
    Overflow overflow = Overflow::WRAP;
    friend bool operator==(const Quantizer&, const Quantizer&) = default;
};

/// An exact lookup table: entry j is the output mantissa (at exponent `exp`) for the input
/// mantissa lo + j, where [lo, hi] is the input's range.
struct Table {
    i128 in_lo = 0;
    int exp = 0;
    std::vector<i128> values;
    friend bool operator==(const Table&, const Table&) = default;
};

/// Largest table (input values) fixvar builds: 2^16 entries (inputs up to 16 bits).
inline constexpr int max_table_bits = 16;
/// Most nodes a graph holds (node ids are 32-bit).
inline constexpr std::int32_t max_nodes = 0x7fffff00;

/// A Select condition: a 1-bit value (0/1 at exponent 0), or the constant 1.
bool is_condition(const ExactRange& r);

class Graph {
public:
    /// Appends `n` (operands must already exist), computing range, cost and latency from the
    /// op rules. For Input nodes, n.range must be set by the caller (the port's format); Const
    /// nodes are normalized (ExactRange::constant). Every node is validated first — operands,
    /// payload (shift, bit position, quantizer/table index, predicate), a 1-bit Select
    /// condition, a table matching its input — and a bad one is an Error naming the node.
    NodeId append(Node n);
    /// Appends a node copied from a graph whose operands had exactly the same ranges (keeps its
    /// range, cost and latency; used by extraction).
    NodeId append_copy(const Node& n);
    std::int32_t add_quantizer(const Quantizer& q);
    std::int32_t add_table(Table t);

    const Node& operator[](NodeId id) const { return nodes_[std::size_t(id)]; }
    std::size_t size() const { return nodes_.size(); }
    const std::vector<Node>& nodes() const { return nodes_; }
    const Quantizer& quantizer(std::int32_t i) const { return quantizers_[std::size_t(i)]; }
    const Table& table(std::int32_t i) const { return tables_[std::size_t(i)]; }
    const std::vector<Quantizer>& quantizers() const { return quantizers_; }
    const std::vector<Table>& tables() const { return tables_; }

    /// Ports: input nodes in port order, output node ids in output order.
    std::vector<NodeId> inputs;
    std::vector<NodeId> outputs;

    /// Tightens a node's range to `known` (must be contained in the rule's range, on its grid)
    /// and re-estimates its cost and latency. Nodes that use it are left as they are: for a
    /// node that may already have users, use `narrow`.
    void tighten(NodeId id, const ExactRange& known);
    /// Tightens node `id` to `known` (a proven fact on its grid, e.g. an optimizer's exact range
    /// of a linear form) and re-derives every later node from the op rules, each keeping what
    /// it already held (new range = old range met with the rule's): every node stays within
    /// its op rule's range over its operands' ranges (what parse_graph checks). O(nodes after id).
    void narrow(NodeId id, const ExactRange& known);
    /// Sets the range of an input node that was created without a format.
    void set_input_range(NodeId id, const ExactRange& r);
    /// Reserve room for n nodes.
    void reserve(std::size_t n) { nodes_.reserve(n); }

private:
    void estimate(Node& n) const;  // cost and latency from the node's range and operands
    std::vector<Node> nodes_;
    std::vector<Quantizer> quantizers_;
    std::vector<Table> tables_;
};

/// The same circuit: equal nodes (op, operands, shift/port/bit payload, quantizer settings and
/// table contents — not their side-table indices —, ranges and estimates) and equal ports.
bool operator==(const Graph& a, const Graph& b);

/// Range of node `n` by its op rule, given the graph holding its operands.
ExactRange rule_range(const Graph& g, const Node& n);
/// A node's own delay, in the levels Yosys' `ltp` counts after LUT6 + CARRY4 mapping: one per
/// LUT, one per CARRY4 cell (four bits of a carry chain). A carry chain delivers its low bits
/// first, and an adder reading such a value starts its own chain on them as they arrive, so the
/// ripples of chained adders overlap: each adds its LUT and first CARRY4, and only the last
/// value of a path pays its ripple (`tail`). A node that needs every operand bit first (a sign
/// test, a bit selection, a multiplier, a table) waits for its operands' tails.
/// Node::latency = max over operands of (their last bits if `whole_operands`, else their first
/// bits) + first + tail.
struct Delay {
    float first = 0;              ///< from the operand bits it needs to its own first bits
    float tail = 0;               ///< from its first bits to its last: a carry chain's ripple
    bool whole_operands = false;  ///< waits for every operand bit before any result bit
};

/// Own cost (LUT estimate) and delay of node `n`, whose range is set.
float node_cost(const Graph& g, const Node& n);
Delay node_delay(const Graph& g, const Node& n);
/// A carry chain over `width` bits (an adder's delay, from its result's width): a LUT and its
/// first CARRY4, then one level per further group of four bits.
Delay carry_chain(int width, bool whole_operands = false);

/// Error naming `op` unless the ports are sound: every input port is a distinct Input node,
/// every Input node is a port, every output is a node.
void check_ports(const Graph& g, const char* op);

/// The sub-circuit of `g` from `inputs` (in port order; Input params become port numbers) to
/// `outputs`, dead code removed. Error if an output depends on an input not listed.
Graph extract(const Graph& g, std::span<const NodeId> inputs, std::span<const NodeId> outputs);

struct GraphStats {
    std::size_t nodes = 0;
    std::size_t count_by_op[op_count] = {};
    double total_cost = 0;
    int depth = 0;       ///< longest path, in nodes that have a cost (adders, muxes, ...)
    double latency = 0;  ///< largest estimated arrival time of an output (levels)

    /// Two-input adders/subtractors: the Add nodes (a ± b·2^s).
    std::size_t adders() const { return count_by_op[int(Op::Add)]; }
};
GraphStats stats(const Graph& g);

}  // namespace fixvar::ir
