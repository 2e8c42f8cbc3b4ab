#include <fixvar/core/error.hpp>
#include <fixvar/ir/text.hpp>

#include "ir/op_table.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <tuple>

namespace fixvar::ir {
namespace {

std::string ref(NodeId id) { return fmt::format("%{}", id); }

// The text of a node follows its row in the op table: name, operands, then its payload.
std::string node_text(const Graph& g, const Node& n) {
    const OpRules& rules = op_rules(n.op);
    std::string s{rules.name};
    if (rules.payload == Payload::shifted_operand && n.subtract()) s = "sub";
    if (rules.payload == Payload::predicate) s += fmt::format(".{}", to_string(n.pred()));
    const NodeId operands[3] = {n.a, n.b, n.c};
    for (int j = 0; j < rules.arity; ++j) s += (j ? ", " : " ") + ref(operands[j]);
    switch (rules.payload) {
        case Payload::none:
        case Payload::predicate: break;
        case Payload::port: s += fmt::format(" {}", n.param); break;
        case Payload::shifted_operand:
            if (n.param != 0) s += fmt::format(" << {}", n.param);
            break;
        case Payload::shift:
        case Payload::bit: s += fmt::format(", {}", n.param); break;
        case Payload::quantizer: {
            const Quantizer& q = g.quantizer(n.param);
            s += fmt::format(" {} {} {}", fixvar::to_string(q.format), fixvar::to_string(q.round),
                             fixvar::to_string(q.overflow));
            break;
        }
        case Payload::table: {
            const Table& t = g.table(n.param);
            s += fmt::format(" exp {} [", t.exp);
            for (std::size_t j = 0; j < t.values.size(); ++j) {
                if (j) s += ' ';
                s += fixvar::to_string(t.values[j]);
            }
            s += "]";
            break;
        }
    }
    return s;
}

// Cursor over one line with error reporting by line number.
struct Cursor {
    std::string_view s;
    std::size_t p = 0;
    int line = 0;

    [[noreturn]] void error(std::string_view what) const {
        fail("parse_graph", "line {}: {} (in '{}', at column {})", line, what, s, p + 1);
    }
    void skip() {
        while (p < s.size() && std::isspace(static_cast<unsigned char>(s[p]))) ++p;
    }
    bool eat(std::string_view t) {
        skip();
        if (s.substr(p, t.size()) == t) {
            p += t.size();
            return true;
        }
        return false;
    }
    void expect(std::string_view t) {
        if (!eat(t)) error(fmt::format("expected '{}'", t));
    }
    std::string_view word() {
        skip();
        std::size_t b = p;
        while (p < s.size() && (std::isalnum(static_cast<unsigned char>(s[p])) || s[p] == '_' || s[p] == '.')) ++p;
        if (b == p) error("expected a word");
        return s.substr(b, p - b);
    }
    i128 integer() {
        skip();
        std::size_t b = p;
        if (p < s.size() && (s[p] == '-' || s[p] == '+')) ++p;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) ++p;
        if (b == p) error("expected an integer");
        try {
            return parse_i128(s.substr(b, p - b), "integer");
        } catch (const Error&) {
            error("integer out of range");
        }
    }
    int small() {
        i128 v = integer();
        if (v < -(i128(1) << 30) || v > (i128(1) << 30)) error("integer out of range");
        return int(v);
    }
    NodeId node(NodeId limit) {
        expect("%");
        int id = small();
        if (id < 0 || id >= limit) error(fmt::format("%{} is not an earlier node", id));
        return id;
    }
    bool done() {
        skip();
        return p >= s.size();
    }
};

ExactRange parse_range(Cursor& c) {
    c.expect("[");
    ExactRange r;
    r.lo = c.integer();
    c.expect(",");
    r.hi = c.integer();
    c.expect("]");
    c.expect("*");
    c.expect("2^");
    r.exp = c.small();
    if (r.lo > r.hi) c.error("range with lo > hi");
    return r;
}

kif parse_kif(Cursor& c) {
    c.expect("kif{");
    kif q;
    q.k = c.small();
    c.expect(",");
    q.i = c.small();
    c.expect(",");
    q.f = c.small();
    c.expect("}");
    return q;
}

// The op named `w` (`sub` is a subtracting add, `cmp.lt` a comparison with its predicate).
Op parse_op(Cursor& c, std::string_view w, Node& n) {
    for (int o = 0; o < op_count; ++o) {
        const OpRules& rules = op_rules(Op(o));
        if (rules.payload == Payload::shifted_operand && w == "sub") {
            n.flag = 1;
            return Op(o);
        }
        std::size_t dot = rules.name.size();
        if (rules.payload == Payload::predicate && w.size() > dot && w[dot] == '.' && w.substr(0, dot) == rules.name) {
            for (int p = 0; p < 6; ++p)
                if (to_string(Pred(p)) == w.substr(dot + 1)) {
                    n.flag = std::uint8_t(p);
                    return Op(o);
                }
            c.error("unknown comparison");
        }
        if (rules.name == w) return Op(o);
    }
    c.error(fmt::format("unknown op '{}'", w));
}

// Identical quantizer settings share one entry, as in the builder (so parse(dump(g)) == g).
class QuantizerIndex {
public:
    std::int32_t add(Graph& g, const Quantizer& q) {
        auto key = std::tuple(q.format.k, q.format.i, q.format.f, int(q.round), int(q.overflow));
        auto [it, fresh] = index_.emplace(key, 0);
        if (fresh) it->second = g.add_quantizer(q);
        return it->second;
    }

private:
    std::map<std::tuple<int, int, int, int, int>, std::int32_t> index_;
};

// A table's `exp e [v0 v1 ...]` for an input whose range starts at `in_lo`.
Table parse_table(Cursor& c, i128 in_lo) {
    c.expect("exp");
    Table t;
    t.exp = c.small();
    t.in_lo = in_lo;
    c.expect("[");
    while (!c.eat("]")) {
        if (t.values.size() >= std::size_t(1) << max_table_bits)
            c.error(fmt::format("a table has at most 2^{} entries", max_table_bits));
        t.values.push_back(c.integer());
    }
    if (t.values.empty()) c.error("a table needs at least one entry");
    return t;
}

// The payload of node `n` after its operands, as node_text writes it.
void parse_payload(Graph& g, QuantizerIndex& quantizers, Cursor& c, Payload payload, Node& n) {
    switch (payload) {
        case Payload::none:
        case Payload::predicate: break;
        case Payload::port: n.param = c.small(); break;
        case Payload::shifted_operand:
            if (c.eat("<<")) n.param = c.small();
            break;
        case Payload::shift:
        case Payload::bit:
            c.expect(",");
            n.param = c.small();
            break;
        case Payload::quantizer: {
            Quantizer q;
            q.format = parse_kif(c);
            std::string_view round = c.word(), overflow = c.word();
            try {
                q.round = parse_round(round);
                q.overflow = parse_overflow(overflow);
                n.param = quantizers.add(g, q);
            } catch (const Error& e) {
                c.error(e.what());
            }
            break;
        }
        case Payload::table: n.param = g.add_table(parse_table(c, g[n.a].range.lo)); break;
    }
}

void parse_node(Graph& g, QuantizerIndex& quantizers, Cursor& c) {
    auto id = NodeId(g.size());
    c.expect("%");
    if (c.small() != id) c.error(fmt::format("expected node %{} (nodes are numbered in order)", id));
    c.expect("=");
    Node n;
    n.op = parse_op(c, c.word(), n);
    const OpRules& rules = op_rules(n.op);
    NodeId* operands[3] = {&n.a, &n.b, &n.c};
    for (int j = 0; j < rules.arity; ++j) {
        if (j) c.expect(",");
        *operands[j] = c.node(id);
    }
    parse_payload(g, quantizers, c, rules.payload, n);
    c.expect(":");
    ExactRange r = parse_range(c);
    if (!c.done()) c.error("unexpected text after the range");
    n.range = r;
    if (n.op == Op::Const && r.lo != r.hi) c.error("a constant's range must have lo == hi");
    try {
        g.append(n);
    } catch (const Error& e) {
        c.error(e.what());
    }
    const ExactRange& rule = g[id].range;
    if (!(rule == r)) {
        if (r.exp != rule.exp || !rule.contains(r))
            c.error(fmt::format("range {} is not within the op rule's range {}", fixvar::to_string(r),
                                fixvar::to_string(rule)));
        g.tighten(id, r);
    }
}

}  // namespace

std::string dump(const Graph& g) {
    std::string out = "fixvar-graph 1\n";
    for (std::size_t j = 0; j < g.size(); ++j) {
        const Node& n = g[NodeId(j)];
        out += fmt::format("%{} = {} : {}\n", j, node_text(g, n), fixvar::to_string(n.range));
    }
    out += "inputs";
    for (NodeId i : g.inputs) out += " " + ref(i);
    out += "\noutputs";
    for (NodeId o : g.outputs) out += " " + ref(o);
    out += "\n";
    return out;
}

Graph parse_graph(std::string_view text) {
    Graph g;
    QuantizerIndex quantizers;
    int line_no = 0;
    bool header = false, have_inputs = false, have_outputs = false;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        Cursor c{line, 0, line_no};
        if (c.done() || c.eat("#")) continue;
        if (!header) {
            c.expect("fixvar-graph");
            if (c.small() != 1) c.error("unsupported format version (expected 1)");
            header = true;
            continue;
        }
        if (c.eat("inputs")) {
            while (!c.done()) {
                NodeId id = c.node(NodeId(g.size()));
                if (g[id].op != Op::Input) c.error("an input port must be an input node");
                g.inputs.push_back(id);
            }
            have_inputs = true;
        } else if (c.eat("outputs")) {
            while (!c.done()) g.outputs.push_back(c.node(NodeId(g.size())));
            have_outputs = true;
        } else {
            if (have_inputs || have_outputs) c.error("nodes must come before inputs/outputs");
            parse_node(g, quantizers, c);
        }
    }
    if (!header) fail("parse_graph", "empty text (expected a 'fixvar-graph 1' header)");
    if (!have_inputs || !have_outputs) fail("parse_graph", "missing 'inputs' or 'outputs' line");
    check_ports(g, "parse_graph");
    return g;
}

}  // namespace fixvar::ir
