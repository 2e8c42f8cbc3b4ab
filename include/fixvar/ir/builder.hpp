#pragma once
// GraphBuilder: the only way tracing creates nodes. It keeps the graph canonical:
//  - hash-consing: an identical node (op, operands, payload) is created once;
//  - constant folding: ops on constants, and ops whose exact range is a single value;
//  - algebraic no-ops removed: x+0, x*1, quantize that fits, relu of a non-negative, ...;
//  - free shifts and negations folded into adder operands: (x<<2) - y becomes
//    shift(add(x, y, -2, subtract), 2), and x + (-y) becomes a subtract;
//  - exact ranges of linear combinations: every sum carries its linear form over atoms (inputs
//    and the results of non-linear ops; core/linear_range.hpp) and is narrowed to the form's
//    exact range, so x*3 built as (x<<2) - x has range 3*[lo, hi], a sum over a matmul's
//    outputs counts each shared input once, and x - x folds to 0. A form over
//    linear_form_term_budget atoms makes its node a new atom (interval range).
// Building is O(1) amortized per node (O(budget) for a sum).
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/linear_range.hpp>
#include <fixvar/ir/graph.hpp>

namespace fixvar::ir {

class GraphBuilder {
public:
    GraphBuilder();

    /// A new input of format q (every call creates a distinct input).
    NodeId input(const kif& q);
    /// A new input taking exactly the values of `r` (a port narrower than any format, e.g. a
    /// CMVM problem's exact input range); Error if r is empty or too wide.
    NodeId input(const ExactRange& r);
    /// A new input without a format yet: the first quantize applied to it defines the port
    /// format (and is free); any other use before that is an Error.
    NodeId input_unformatted();
    bool is_unformatted(NodeId id) const { return unformatted_.count(id) != 0; }
    NodeId constant(const Dyadic& c);
    /// a ± (b << s)
    NodeId add(NodeId a, NodeId b, int s = 0, bool subtract = false);
    NodeId sub(NodeId a, NodeId b) { return add(a, b, 0, true); }
    NodeId shift(NodeId a, int s);
    NodeId neg(NodeId a);
    /// Variable x variable multiply (constants dispatch to mul_const).
    NodeId mul(NodeId a, NodeId b);
    /// a * c as shift-and-add over c's canonical signed digits, summed by a balanced tree.
    NodeId mul_const(NodeId a, const Dyadic& c);
    NodeId quantize(NodeId a, const kif& q, Round round, Overflow overflow);
    NodeId relu(NodeId a);
    NodeId abs(NodeId a);
    NodeId max(NodeId a, NodeId b);
    NodeId min(NodeId a, NodeId b);
    NodeId cmp(NodeId a, NodeId b, Pred p);
    NodeId select(NodeId cond, NodeId a, NodeId b);
    /// Exact lookup table over every value of a's range (see Table).
    NodeId table(NodeId a, Table t);
    /// Bit p of a's two's complement mantissa (at a's exponent), as 0/1.
    NodeId bit(NodeId a, int p);
    /// The top bit of a's minimal format (the sign bit when a can be negative).
    NodeId msb(NodeId a);

    /// Records a proven fact: every value of node `id` lies in `values` (e.g. an optimizer's
    /// exact range of a linear form). The node's range (through free shifts and negations) is
    /// narrowed to it when that is tighter; never widened.
    void assume_range(NodeId id, const ExactRange& values);
    /// The node's linear form over atoms (core/linear_range.hpp): terms sorted by atom id, the
    /// constant last. A node that is not a sum, shift or negation is its own atom ({id: 1}).
    std::vector<LinearTerm> linear_form(NodeId id) const;
    /// Records a proven identity: node `id` equals `form` (e.g. a matmul output composed from
    /// its inputs' forms). Later sums build on it and the node is narrowed to the form's exact
    /// range; a form over linear_form_term_budget atoms makes the node its own atom instead.
    /// narrow = false skips the range (for a caller that knows the node's range is already
    /// within the form's, e.g. no atom shared by two of the parts it composed).
    void assume_linear_form(NodeId id, std::span<const LinearTerm> form, bool narrow = true);
    /// While off, new sums skip their linear form and are their own atoms: for internal nodes
    /// whose ranges are proven otherwise and whose users see only outputs given forms by
    /// assume_linear_form (a CMVM adder graph). Returns the previous setting.
    bool track_linear_forms(bool on) { return std::exchange(track_forms_, on); }

    const Graph& graph() const { return graph_; }
    const Node& operator[](NodeId id) const { return graph_[id]; }
    /// Value of a constant node (Error if `id` is not constant).
    Dyadic constant_value(NodeId id) const;
    bool is_constant(NodeId id) const { return graph_[id].op == Op::Const; }
    std::size_t input_count() const { return input_count_; }

private:
    struct Key {
        Op op;
        std::uint8_t flag;
        NodeId a, b, c;
        std::int32_t param;
        i128 value;  // Const: mantissa
        friend bool operator==(const Key&, const Key&) = default;
    };
    static Key key_of(const Node& n);
    static std::uint64_t hash(const Key& k);
    // Hash-consing index: open addressing over node ids (keys are re-derived from the nodes),
    // 8 bytes a slot, load <= 1/2.
    struct Slot {
        std::uint32_t hash = 0;
        NodeId id = no_node;
    };
    NodeId find(const Key& k, std::uint64_t h) const;
    void insert(std::uint64_t h, NodeId id);
    // A node's stored linear form: form_pool_[begin, begin + size); size 0 is "its own atom"
    // (begin == untracked: a sum built while forms were off, given its form when a tracked
    // sum is hash-consed to it).
    struct FormRef {
        std::uint32_t begin = 0, size = 0;
    };
    static constexpr std::uint32_t untracked = UINT32_MAX;

    NodeId intern(Node n);  // hash-cons + fold constants / constant ranges
    NodeId fold_if_constant(const Node& n);
    NodeId peel(NodeId id, int& shift, bool& negate) const;                  // through free shifts/negations
    std::span<const LinearTerm> own_form(NodeId id, LinearTerm& one) const;  // of a peeled node
    bool same_atom(NodeId a, NodeId b) const;                                // both peeled nodes multiples of one atom
    std::size_t sum_form(NodeId a, NodeId b, int s, bool subtract, bool& shared);
    void settle_form(NodeId id, std::size_t n, bool shared, bool fresh);
    void store_form(NodeId id, std::span<const LinearTerm> form);
    NodeId add_canonical(NodeId a, int sa, bool na, NodeId b, int sb, bool nb);
    NodeId extremum(Op op, NodeId a, NodeId b);
    NodeId new_input(const ExactRange& range);

    Graph graph_;
    std::vector<Slot> slots_ = std::vector<Slot>(1024);
    std::size_t used_ = 0;
    std::vector<FormRef> form_;  // per node
    std::vector<LinearTerm> form_pool_, form_scratch_;
    bool track_forms_ = true;
    std::vector<Quantizer> quantizer_keys_;
    std::size_t input_count_ = 0;
    std::unordered_map<NodeId, int> unformatted_;  // inputs still waiting for their format
    void require_formatted(NodeId id, const char* op) const;
};

}  // namespace fixvar::ir
