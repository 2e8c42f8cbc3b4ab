#pragma once
// The op table (internal): one row per IR op holding everything the IR knows about it — name,
// arity, payload kind, range rule, cost and delay models, bit-exact value (one sample and a
// batch), and the checks a node of it must pass. The rows are written in src/ir/op_table.cpp,
// one block of rules per op; graph.cpp (append, rule_range, node_cost, node_delay), eval_node,
// the interpreter and the text form (whose syntax follows the payload kind) all read them.
// Adding an op: its enumerator in ir/op.hpp, its block and row in op_table.cpp, its emitter
// case in src/backend/verilog_expr.cpp (and its bit usage in src/backend/read_bits.cpp).
#include <fixvar/ir/graph.hpp>

#include <cstddef>
#include <string_view>

namespace fixvar::ir {

/// What Node::param and Node::flag hold, the values they may take, and how the text form
/// writes them after the op's operands.
enum class Payload : std::uint8_t {
    none,             ///< neither is read: `neg %a`, `select %c, %a, %b`
    port,             ///< param: input port, >= 0: `input 3`
    shifted_operand,  ///< param: shift s of b in +-2*max_exponent; flag 1: subtract (written
                      ///< `sub`): `add %a, %b << s` (`<< 0` omitted)
    shift,            ///< param: shift s in +-2*max_exponent; flag must be 0: `shift %a, s`
    bit,              ///< param: bit position 0..127 (127: the sign): `bit %a, p`
    quantizer,        ///< param: index into Graph::quantizers(): `quantize %a kif{k,i,f} RND SAT`
    table,            ///< param: index into Graph::tables(): `table %a exp e [v0 v1 ...]`
    predicate,        ///< flag: Pred, written after a dot: `cmp.lt %a, %b`
};

/// The operands' value columns of a batch (nullptr past the op's arity).
struct OperandColumns {
    const i128* a = nullptr;
    const i128* b = nullptr;
    const i128* c = nullptr;
};

/// One row of the op table. The functions take a node whose operands, quantizer/table index and
/// predicate are valid in `g` (see check_references in graph.cpp and validate_node).
struct OpRules {
    Op op;
    std::string_view name;
    int arity;
    Payload payload;
    /// The node's exact range from its operands' ranges (leaves: the node's own range).
    ExactRange (*range)(const Graph& g, const Node& n);
    /// Own LUT estimate and own delay (ir::Delay); the node's range is set.
    float (*cost)(const Graph& g, const Node& n);
    Delay (*delay)(const Graph& g, const Node& n);
    /// Mantissa at n.range.exp given the operands' mantissas at their own exponents.
    i128 (*eval)(const Graph& g, const Node& n, i128 a, i128 b, i128 c);
    /// `eval` over `count` samples: out[s] from the operands' column entries s (not Input).
    void (*eval_batch)(const Graph& g, const Node& n, OperandColumns x, i128* out, std::size_t count);
    /// Checks of node `id` beyond operands and payload (Error naming the node).
    void (*check)(const Graph& g, const Node& n, NodeId id);
};

extern const OpRules op_table[op_count];

/// The row of `op`, which must be a valid Op (< op_count).
inline const OpRules& op_rules(Op op) { return op_table[int(op)]; }

/// Error unless node `id`'s payload lies in its kind's range and its op's own checks pass;
/// its op and operands are already known to be valid.
void check_payload(const Graph& g, const Node& n, NodeId id);

}  // namespace fixvar::ir
