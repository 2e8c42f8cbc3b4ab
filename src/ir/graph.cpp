#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/ir/graph.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace fixvar::ir {

bool is_condition(const ExactRange& r) {
    return (r.lo >= 0 && r.hi <= 1 && r.exp == 0) || (r.lo == 1 && r.hi == 1);
}

namespace {

float carry_delay(int width) { return 1.0f + float(width) / 16.0f; }

int table_input_bits(const ExactRange& r) { return bit_length(u128(r.hi - r.lo)); }

// rule_range, node_cost and node_delay are public: a node a caller made up must not index
// outside the graph (append validates a node fully; this is the part the three rely on).
void check_references(const Graph& g, const Node& n, const char* op) {
    if (int(n.op) >= op_count) fail(op, "unknown op {}", int(n.op));
    const NodeId operands[3] = {n.a, n.b, n.c};
    for (int j = 0; j < arity(n.op); ++j)
        if (operands[j] < 0 || std::size_t(operands[j]) >= g.size())
            fail(op, "operand %{} is not a node of the graph ({} nodes)", operands[j], g.size());
    if (n.op == Op::Quantize && (n.param < 0 || std::size_t(n.param) >= g.quantizers().size()))
        fail(op, "quantizer {} does not exist", n.param);
    if (n.op == Op::Table && (n.param < 0 || std::size_t(n.param) >= g.tables().size()))
        fail(op, "table {} does not exist", n.param);
}

}  // namespace

ExactRange rule_range(const Graph& g, const Node& n) {
    check_references(g, n, "rule_range");
    auto ra = [&] { return g[n.a].range; };
    auto rb = [&] { return g[n.b].range; };
    switch (n.op) {
        case Op::Input:
        case Op::Const: return n.range;
        case Op::Add: return range_add(ra(), range_shift(rb(), n.param), n.subtract());
        case Op::Shift: return range_shift(ra(), n.param);
        case Op::Neg: return range_neg(ra());
        case Op::Mul: return range_mul(ra(), rb());
        case Op::Quantize: {
            // A quantize node always sits on its own step 2^-f, even when a (later tightened)
            // input would make it the identity: its grid must not depend on operand ranges.
            const Quantizer& q = g.quantizer(n.param);
            ExactRange r = quantize_range(ra(), q.format, q.round, q.overflow);
            if (r.lo == 0 && r.hi == 0) return ExactRange{0, 0, -q.format.f};
            return r.exp > -q.format.f ? r.at_exp(-q.format.f) : r;
        }
        case Op::Relu: return range_relu(ra());
        case Op::Abs: return range_abs(ra());
        case Op::Max: return range_max(ra(), rb());
        case Op::Min: return range_min(ra(), rb());
        case Op::Cmp:
        case Op::Bit: return ExactRange{0, 1, 0};
        case Op::Select: return range_hull(rb(), g[n.c].range);
        case Op::Table: {
            const Table& t = g.table(n.param);
            auto [lo, hi] = std::minmax_element(t.values.begin(), t.values.end());
            return ExactRange{*lo, *hi, t.exp};
        }
    }
    return n.range;
}

float node_cost(const Graph& g, const Node& n) {
    check_references(g, n, "node_cost");
    int w = n.range.width();
    switch (n.op) {
        case Op::Input:
        case Op::Const:
        case Op::Shift:
        case Op::Bit: return 0;
        case Op::Add: {
            // One LUT per result bit from the coarser operand's LSB up to the wider operand's MSB.
            // Result bits above that are carry-out / sign extension: every one of them needs the
            // same propagate function as the wider operand's MSB (a_sign xor b_sign), which the
            // mapper shares, so they cost no LUT of their own (Yosys: an 8-bit + 8-bit adder with
            // a 9-bit result is 8 LUTs). Calibrated in bench/synth_estimate.cpp.
            kif r = n.range.minimal_kif(), ka = g[n.a].range.minimal_kif(), kb = g[n.b].range.minimal_kif();
            int coarser_lsb = std::max(g[n.a].range.exp, g[n.b].range.exp + n.param);
            int operand_top = std::max(ka.i + ka.k, kb.i + kb.k + n.param);
            return float(std::max(1, std::min(r.i + r.k, operand_top) - coarser_lsb));
        }
        case Op::Neg:
        case Op::Abs:
        case Op::Relu:
        case Op::Select: return float(w);
        case Op::Mul: return float(g[n.a].range.width() * g[n.b].range.width());
        case Op::Max:
        case Op::Min: return float(2 * w);
        case Op::Cmp: return float(std::max(g[n.a].range.width(), g[n.b].range.width()));
        case Op::Quantize: {
            const Quantizer& q = g.quantizer(n.param);
            const ExactRange& in = g[n.a].range;
            bool rounds = in.exp < -q.format.f && q.round != Round::TRN;
            // Saturation logic exists when a rounded value can leave the kept bounds (for a
            // signed SAT_SYM that excludes -2^i itself).
            i128 rl = round_mantissa(in.lo, in.exp, q.format.f, q.round);
            i128 rh = round_mantissa(in.hi, in.exp, q.format.f, q.round);
            ExactRange full = ExactRange::of(q.format);
            i128 keep_lo = q.overflow == Overflow::SAT_SYM && q.format.k ? -full.hi : full.lo;
            bool saturates = q.overflow != Overflow::WRAP && (rl < keep_lo || rh > full.hi);
            return float((rounds ? w + 1 : 0) + (saturates ? w : 0));
        }
        case Op::Table: {
            int in_bits = table_input_bits(g[n.a].range);
            return float(w) * std::max(1.0f, std::ldexp(1.0f, in_bits - 6));
        }
    }
    return 0;
}

float node_delay(const Graph& g, const Node& n) {
    check_references(g, n, "node_delay");
    int w = n.range.width();
    switch (n.op) {
        case Op::Input:
        case Op::Const:
        case Op::Shift:
        case Op::Bit: return 0;
        case Op::Add:
        case Op::Neg:
        case Op::Abs: return carry_delay(w);
        case Op::Cmp: return carry_delay(std::max(g[n.a].range.width(), g[n.b].range.width()));
        case Op::Max:
        case Op::Min: return carry_delay(w) + 1;
        case Op::Relu:
        case Op::Select: return 1;
        case Op::Mul: {
            int wa = g[n.a].range.width(), wb = g[n.b].range.width();
            return 1 + std::log2(float(std::max(1, std::min(wa, wb)))) + carry_delay(wa + wb);
        }
        case Op::Quantize: return node_cost(g, n) > 0 ? carry_delay(w) + 1 : 0;
        case Op::Table: {
            int in_bits = table_input_bits(g[n.a].range);
            return 1 + float(std::max(0, in_bits - 6 + 1) / 2);
        }
    }
    return 0;
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
        if (j >= k && operands[j] != no_node)
            fail(op, "node %{} takes {} operand(s) but has a {}th", id, k, j + 1);
        if (j < k && (operands[j] < 0 || operands[j] >= id))
            fail(op, "node %{}: operand %{} is not an earlier node", id, operands[j]);
    }
    constexpr int max_shift = 2 * max_exponent;  // exponents lie within +-max_exponent
    switch (n.op) {
        case Op::Input:
            if (n.param < 0) fail(op, "node %{}: port {} must be >= 0", id, n.param);
            if (n.range.lo > n.range.hi) fail(op, "node %{}: empty range {}", id, fixvar::to_string(n.range));
            break;
        case Op::Const:
            if (!(n.range == ExactRange::constant(n.range.lo, n.range.exp)) || n.range.lo != n.range.hi)
                fail(op, "node %{}: {} is not a normalized constant (lo == hi, odd mantissa, or "
                         "[0, 0]*2^0); write {}",
                     id, fixvar::to_string(n.range),
                     fixvar::to_string(ExactRange::constant(n.range.lo, n.range.exp)));
            break;
        case Op::Add:
        case Op::Shift:
            if (n.flag > (n.op == Op::Add ? 1 : 0)) fail(op, "node %{}: invalid flag {}", id, int(n.flag));
            if (n.param < -max_shift || n.param > max_shift)
                fail(op, "node %{}: shift {} is outside +-{}", id, n.param, max_shift);
            break;
        case Op::Cmp:
            if (n.flag > std::uint8_t(Pred::NE)) fail(op, "node %{}: unknown predicate {}", id, int(n.flag));
            break;
        case Op::Quantize:
            if (n.param < 0 || std::size_t(n.param) >= g.quantizers().size())
                fail(op, "node %{}: quantizer {} does not exist", id, n.param);
            break;
        case Op::Select:
            if (!is_condition(g[n.a].range))
                fail("where", "node %{}: the condition must be a 1-bit value (a comparison or msb), "
                              "got range {}", id, fixvar::to_string(g[n.a].range));
            break;
        case Op::Table: {
            if (n.param < 0 || std::size_t(n.param) >= g.tables().size())
                fail(op, "node %{}: table {} does not exist", id, n.param);
            const Table& t = g.table(n.param);
            const ExactRange& in = g[n.a].range;
            if (u128(in.hi - in.lo) >= u128(1) << max_table_bits)
                fail(op, "node %{}: input range {} has more than 2^{} values; a table input has "
                         "at most {} bits (quantize it first)",
                     id, fixvar::to_string(in), max_table_bits, max_table_bits);
            if (t.in_lo != in.lo || std::size_t(in.hi - in.lo + 1) != t.values.size())
                fail(op, "table has {} entries from {} but its input range is {}",
                     t.values.size(), fixvar::to_string(t.in_lo), fixvar::to_string(in));
            break;
        }
        case Op::Bit:
            if (n.param < 0 || n.param > 127)
                fail(op, "node %{}: bit position {} must be between 0 and 127 (127: the sign)", id,
                     n.param);
            break;
        default: break;
    }
}

}  // namespace

NodeId Graph::append(Node n) {
    if (nodes_.size() >= std::size_t(max_nodes))
        fail("graph", "more than {} nodes; split the design", max_nodes);
    auto id = NodeId(nodes_.size());
    validate_node(*this, n, id);
    if (n.op != Op::Input && n.op != Op::Const) n.range = rule_range(*this, n);
    n.range.check(std::string(to_string(n.op)).c_str());
    estimate(n);
    nodes_.push_back(n);
    return id;
}

void Graph::estimate(Node& n) const {
    float arrival = 0;
    for (NodeId o : {n.a, n.b, n.c})
        if (o != no_node) arrival = std::max(arrival, (*this)[o].latency);
    n.cost = node_cost(*this, n);
    n.latency = arrival + node_delay(*this, n);
}

NodeId Graph::append_copy(const Node& n) {
    if (nodes_.size() >= std::size_t(max_nodes))
        fail("graph", "more than {} nodes; split the design", max_nodes);
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
        fail("tighten", "node %{}: {} is not a range within {} on its grid", id,
             fixvar::to_string(known), fixvar::to_string(n.range));
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
        for (NodeId o : {n.a, n.b, n.c})
            dirty = dirty || (o >= id && was[std::size_t(o - id)]);
        if (!dirty) continue;
        if (n.op == Op::Table) {
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
        bool same = x.op == y.op && x.flag == y.flag && x.a == y.a && x.b == y.b && x.c == y.c &&
                    x.range == y.range && x.cost == y.cost && x.latency == y.latency;
        if (!same) return false;
        if (x.op == Op::Quantize) same = a.quantizer(x.param) == b.quantizer(y.param);
        else if (x.op == Op::Table) same = a.table(x.param) == b.table(y.param);
        else same = x.param == y.param;
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
                fail("comb_trace", "an output depends on an input variable that is not among the "
                                   "{} inputs given to comb_trace; list every input it uses",
                     inputs.size());
            n.param = port[j];
        }
        for (NodeId* o : {&n.a, &n.b, &n.c})
            if (*o != no_node) *o = remap[std::size_t(*o)];
        if (n.op == Op::Quantize) {
            auto& m = qmap[std::size_t(n.param)];
            if (m < 0) m = out.add_quantizer(g.quantizer(n.param));
            n.param = m;
        } else if (n.op == Op::Table) {
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
