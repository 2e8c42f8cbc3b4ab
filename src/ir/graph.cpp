#include <fixvar/core/error.hpp>
#include <fixvar/ir/graph.hpp>

#include "ir/op_table.hpp"

#include <algorithm>
#include <optional>

namespace fixvar::ir {

bool is_condition(const ExactRange& r) { return (r.lo >= 0 && r.hi <= 1 && r.exp == 0) || (r.lo == 1 && r.hi == 1); }

namespace {

// rule_range, node_cost and node_delay are public: a node a caller made up must not index
// outside the graph (append validates a node fully; this is the part the three rely on).
void check_references(const Graph& g, const Node& n, const char* op) {
    if (int(n.op) >= op_count) fail(op, "unknown op {}", int(n.op));
    const NodeId operands[3] = {n.a, n.b, n.c};
    for (int j = 0; j < arity(n.op); ++j)
        if (operands[j] < 0 || std::size_t(operands[j]) >= g.size())
            fail(op, "operand %{} is not a node of the graph ({} nodes)", operands[j], g.size());
    Payload payload = op_rules(n.op).payload;
    auto outside = [&](std::size_t size) { return n.param < 0 || std::size_t(n.param) >= size; };
    if (payload == Payload::quantizer && outside(g.quantizers().size()))
        fail(op, "quantizer {} does not exist", n.param);
    if (payload == Payload::table && outside(g.tables().size())) fail(op, "table {} does not exist", n.param);
}

}  // namespace

// The rules themselves are the op table's rows (src/ir/op_table.cpp).
ExactRange rule_range(const Graph& g, const Node& n) {
    check_references(g, n, "rule_range");
    return op_rules(n.op).range(g, n);
}

float node_cost(const Graph& g, const Node& n) {
    check_references(g, n, "node_cost");
    return op_rules(n.op).cost(g, n);
}

Delay node_delay(const Graph& g, const Node& n) {
    check_references(g, n, "node_delay");
    return op_rules(n.op).delay(g, n);
}

namespace {

// Everything a node must satisfy besides its range rule; the builder's nodes always do, so a
// failure names what a hand-written (parsed or appended) node got wrong.
void validate_node(const Graph& g, const Node& n, NodeId id) {
    if (int(n.op) >= op_count) fail("graph", "node %{}: unknown op {}", id, int(n.op));
    std::string name{to_string(n.op)};
    const char* op = name.c_str();
    int k = arity(n.op);
    NodeId operands[3] = {n.a, n.b, n.c};
    for (int j = 0; j < 3; ++j) {
        if (j >= k && operands[j] != no_node) fail(op, "node %{} takes {} operand(s) but has a {}th", id, k, j + 1);
        if (j < k && (operands[j] < 0 || operands[j] >= id))
            fail(op, "node %{}: operand %{} is not an earlier node", id, operands[j]);
    }
    check_payload(g, n, id);
}

}  // namespace

NodeId Graph::append(Node n) {
    if (nodes_.size() >= std::size_t(max_nodes)) fail("graph", "more than {} nodes; split the design", max_nodes);
    auto id = NodeId(nodes_.size());
    validate_node(*this, n, id);
    if (arity(n.op) > 0) n.range = rule_range(*this, n);  // a leaf's range is given
    n.range.check(std::string(to_string(n.op)).c_str());
    estimate(n);
    nodes_.push_back(n);
    return id;
}

void Graph::estimate(Node& n) const {
    const Delay d = node_delay(*this, n);
    float ready = 0;  // when the operand bits it starts on have arrived
    for (NodeId o : {n.a, n.b, n.c}) {
        if (o == no_node) continue;
        const Node& x = (*this)[o];
        ready = std::max(ready, d.whole_operands ? x.latency : x.latency - node_delay(*this, x).tail);
    }
    n.cost = node_cost(*this, n);
    n.latency = ready + d.first + d.tail;
}

NodeId Graph::append_copy(const Node& n) {
    if (nodes_.size() >= std::size_t(max_nodes)) fail("graph", "more than {} nodes; split the design", max_nodes);
    auto id = NodeId(nodes_.size());
    validate_node(*this, n, id);
    nodes_.push_back(n);
    return id;
}

std::int32_t Graph::add_quantizer(const Quantizer& q) {
    check_format(q.format, "quantize");
    quantizers_.push_back(q);
    return std::int32_t(quantizers_.size() - 1);
}

std::int32_t Graph::add_table(Table t) {
    if (t.values.empty()) fail("table", "a table needs at least one entry");
    tables_.push_back(std::move(t));
    return std::int32_t(tables_.size() - 1);
}

void Graph::tighten(NodeId id, const ExactRange& known) {
    if (id < 0 || std::size_t(id) >= nodes_.size()) fail("tighten", "node %{} does not exist", id);
    Node& n = nodes_[std::size_t(id)];
    if (known.exp != n.range.exp || known.lo > known.hi || !n.range.contains(known))
        fail("tighten", "node %{}: {} is not a range within {} on its grid", id, fixvar::to_string(known),
             fixvar::to_string(n.range));
    n.range = known;
    estimate(n);
}

namespace {

// The entries of table `t` (over input range `was`) for the narrower input range `now`.
Table restrict_table(const Table& t, const ExactRange& was, const ExactRange& now) {
    Table out{now.lo, t.exp, {}};
    for (i128 m = now.lo; m <= now.hi; ++m) {
        ExactRange v = ExactRange::constant(m, now.exp);  // the same value on the old grid
        i128 old = v.lo == 0 ? 0 : v.at_exp(was.exp).lo;
        FIXVAR_ASSERT(was.lo <= old && old <= was.hi);
        out.values.push_back(t.values[std::size_t(old - was.lo)]);
    }
    return out;
}

}  // namespace

void Graph::narrow(NodeId id, const ExactRange& known) {
    if (id < 0 || std::size_t(id) >= nodes_.size()) fail("narrow", "node %{} does not exist", id);
    // Old ranges of the nodes that changed (range or latency), indexed from id.
    std::vector<std::optional<ExactRange>> was(nodes_.size() - std::size_t(id));
    was[0] = nodes_[std::size_t(id)].range;
    tighten(id, known);
    for (std::size_t j = std::size_t(id) + 1; j < nodes_.size(); ++j) {
        Node& n = nodes_[j];
        bool dirty = false;
        for (NodeId o : {n.a, n.b, n.c}) dirty = dirty || (o >= id && was[std::size_t(o - id)]);
        if (!dirty) continue;
        if (op_rules(n.op).payload == Payload::table) {  // its entries follow its input's range
            const Node& in = nodes_[std::size_t(n.a)];
            const ExactRange& in_was = *was[std::size_t(n.a - id)];
            if (!(in.range == in_was)) n.param = add_table(restrict_table(table(n.param), in_was, in.range));
        }
        ExactRange old = n.range;
        float old_latency = n.latency;
        n.range = range_meet(rule_range(*this, n), old);
        FIXVAR_ASSERT(n.range.lo <= n.range.hi);  // a proven range meets the sound one
        estimate(n);
        if (!(n.range == old) || n.latency != old_latency) was[j - std::size_t(id)] = old;
    }
}

void Graph::set_input_range(NodeId id, const ExactRange& r) {
    if (id < 0 || std::size_t(id) >= nodes_.size() || nodes_[std::size_t(id)].op != Op::Input)
        fail("set_input_range", "node %{} is not an input", id);
    if (r.lo > r.hi) fail("set_input_range", "empty range {}", fixvar::to_string(r));
    r.check("input");
    Node& n = nodes_[std::size_t(id)];
    n.range = r;
}

bool operator==(const Graph& a, const Graph& b) {
    if (a.size() != b.size() || a.inputs != b.inputs || a.outputs != b.outputs) return false;
    for (std::size_t j = 0; j < a.size(); ++j) {
        const Node &x = a[NodeId(j)], &y = b[NodeId(j)];
        bool same = x.op == y.op && x.flag == y.flag && x.a == y.a && x.b == y.b && x.c == y.c && x.range == y.range &&
                    x.cost == y.cost && x.latency == y.latency;
        if (!same) return false;
        Payload payload = op_rules(x.op).payload;
        if (payload == Payload::quantizer)
            same = a.quantizer(x.param) == b.quantizer(y.param);
        else if (payload == Payload::table)
            same = a.table(x.param) == b.table(y.param);
        else
            same = x.param == y.param;
        if (!same) return false;
    }
    return true;
}

void check_ports(const Graph& g, const char* op) {
    std::vector<char> listed(g.size(), 0);
    for (NodeId i : g.inputs) {
        if (i < 0 || std::size_t(i) >= g.size() || g[i].op != Op::Input)
            fail(op, "input port %{} is not an input node", i);
        if (listed[std::size_t(i)]) fail(op, "input %{} is listed twice", i);
        listed[std::size_t(i)] = 1;
    }
    for (std::size_t j = 0; j < g.size(); ++j)
        if (g[NodeId(j)].op == Op::Input && !listed[j])
            fail(op, "input node %{} is not on the 'inputs' line (every input is a port)", j);
    for (NodeId o : g.outputs)
        if (o < 0 || std::size_t(o) >= g.size()) fail(op, "output %{} is not a node", o);
}

Graph extract(const Graph& g, std::span<const NodeId> inputs, std::span<const NodeId> outputs) {
    std::vector<char> live(g.size(), 0);
    std::vector<std::int32_t> port(g.size(), -1);
    for (std::size_t p = 0; p < inputs.size(); ++p) {
        NodeId in = inputs[p];
        if (in < 0 || std::size_t(in) >= g.size() || g[in].op != Op::Input)
            fail("comb_trace", "input {} is not an input variable (use input(...) to make one)", p);
        if (port[std::size_t(in)] >= 0)
            fail("comb_trace", "input {} is the same variable as input {}", p, port[std::size_t(in)]);
        port[std::size_t(in)] = std::int32_t(p);
        live[std::size_t(in)] = 1;
    }
    for (NodeId o : outputs) {
        if (o < 0 || std::size_t(o) >= g.size()) fail("comb_trace", "output %{} is not a node", o);
        live[std::size_t(o)] = 1;
    }
    for (std::size_t j = g.size(); j-- > 0;) {
        if (!live[j]) continue;
        const Node& n = g[NodeId(j)];
        for (NodeId o : {n.a, n.b, n.c})
            if (o != no_node) live[std::size_t(o)] = 1;
    }
    Graph out;
    std::vector<NodeId> remap(g.size(), no_node);
    std::vector<std::int32_t> qmap(g.quantizers().size(), -1), tmap(g.tables().size(), -1);
    for (std::size_t j = 0; j < g.size(); ++j) {
        if (!live[j]) continue;
        Node n = g[NodeId(j)];
        if (n.op == Op::Input) {
            if (port[j] < 0)
                fail("comb_trace",
                     "an output depends on an input variable that is not among the "
                     "{} inputs given to comb_trace; list every input it uses",
                     inputs.size());
            n.param = port[j];
        }
        for (NodeId* o : {&n.a, &n.b, &n.c})
            if (*o != no_node) *o = remap[std::size_t(*o)];
        Payload payload = op_rules(n.op).payload;
        if (payload == Payload::quantizer) {
            auto& m = qmap[std::size_t(n.param)];
            if (m < 0) m = out.add_quantizer(g.quantizer(n.param));
            n.param = m;
        } else if (payload == Payload::table) {
            auto& m = tmap[std::size_t(n.param)];
            if (m < 0) m = out.add_table(g.table(n.param));
            n.param = m;
        }
        remap[j] = out.append_copy(n);  // operands are identical copies: keep range and costs
    }
    for (NodeId in : inputs) out.inputs.push_back(remap[std::size_t(in)]);
    for (NodeId o : outputs) out.outputs.push_back(remap[std::size_t(o)]);
    return out;
}

GraphStats stats(const Graph& g) {
    GraphStats s;
    s.nodes = g.size();
    std::vector<int> depth(g.size(), 0);
    for (std::size_t j = 0; j < g.size(); ++j) {
        const Node& n = g[NodeId(j)];
        s.count_by_op[int(n.op)]++;
        s.total_cost += n.cost;
        int d = 0;
        for (NodeId o : {n.a, n.b, n.c})
            if (o != no_node) d = std::max(d, depth[std::size_t(o)]);
        depth[j] = d + (n.cost > 0 ? 1 : 0);
    }
    for (NodeId o : g.outputs) {
        s.depth = std::max(s.depth, depth[std::size_t(o)]);
        s.latency = std::max(s.latency, double(g[o].latency));
    }
    return s;
}

}  // namespace fixvar::ir
