#include <fixvar/core/csd.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/ir/builder.hpp>
#include "ir/eval.hpp"

#include "core/mix.hpp"

#include <algorithm>
#include <optional>

namespace fixvar::ir {
namespace {

// A node of kind `op` with its operands and payload (range, cost, latency are computed later).
Node node_of(Op op, NodeId a, NodeId b = no_node, NodeId c = no_node, std::int32_t param = 0, std::uint8_t flag = 0) {
    Node n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.c = c;
    n.param = param;
    n.flag = flag;
    return n;
}

}  // namespace

GraphBuilder::Key GraphBuilder::key_of(const Node& n) {
    bool c = n.op == Op::Const;
    return Key{n.op, n.flag, n.a, n.b, n.c, c ? n.range.exp : n.param, c ? n.range.lo : 0};
}

std::uint64_t GraphBuilder::hash(const Key& k) {
    std::uint64_t h = mix64(std::uint64_t(k.op) * 131 + k.flag);
    h = mix64(h ^ (std::uint64_t(std::uint32_t(k.a)) << 32 | std::uint32_t(k.b)));
    h = mix64(h ^ (std::uint64_t(std::uint32_t(k.c)) << 32 | std::uint32_t(k.param)));
    h = mix64(h ^ std::uint64_t(k.value));
    return mix64(h ^ std::uint64_t(k.value >> 64));
}

NodeId GraphBuilder::find(const Key& k, std::uint64_t h) const {
    std::size_t mask = slots_.size() - 1;
    auto tag = std::uint32_t(h >> 32);
    for (std::size_t j = std::size_t(h) & mask;; j = (j + 1) & mask) {
        const Slot& s = slots_[j];
        if (s.id == no_node) return no_node;
        if (s.hash == tag && key_of(graph_[s.id]) == k) return s.id;
    }
}

void GraphBuilder::insert(std::uint64_t h, NodeId id) {
    if (2 * (used_ + 1) > slots_.size()) {  // grow and rehash
        std::vector<Slot> old(slots_.size() * 2);
        old.swap(slots_);
        used_ = 0;
        for (const Slot& s : old)
            if (s.id != no_node) insert(hash(key_of(graph_[s.id])), s.id);
    }
    std::size_t mask = slots_.size() - 1;
    for (std::size_t j = std::size_t(h) & mask;; j = (j + 1) & mask)
        if (slots_[j].id == no_node) {
            slots_[j] = Slot{std::uint32_t(h >> 32), id};
            ++used_;
            return;
        }
}

GraphBuilder::GraphBuilder() = default;

void GraphBuilder::require_formatted(NodeId id, const char* op) const {
    if (is_unformatted(id))
        fail(op,
             "input %{} has no format yet; quantize it first (the quantize defines the "
             "input port's format)",
             id);
}

NodeId GraphBuilder::intern(Node n) {
    for (NodeId o : {n.a, n.b, n.c})
        if (o != no_node) require_formatted(o, std::string(to_string(n.op)).c_str());
    Key key = key_of(n);
    std::uint64_t h = hash(key);
    if (NodeId hit = find(key, h); hit != no_node) return hit;
    if (n.op != Op::Input && n.op != Op::Const) {
        if (NodeId folded = fold_if_constant(n); folded != no_node) return folded;
    }
    NodeId id = graph_.append(n);
    insert(h, id);
    form_.push_back(FormRef{});
    return id;
}

// Ops whose operands are all constants, or whose exact range is a single value, become
// constants (evaluated with the interpreter's own node semantics).
NodeId GraphBuilder::fold_if_constant(const Node& n) {
    int k = arity(n.op);
    NodeId ops[3] = {n.a, n.b, n.c};
    bool all_const = true;
    for (int j = 0; j < k; ++j) all_const = all_const && graph_[ops[j]].op == Op::Const;
    ExactRange r = rule_range(graph_, n);
    if (r.is_constant()) return constant(Dyadic::make(r.lo, r.exp));
    if (!all_const) return no_node;
    Node tmp = n;
    tmp.range = r;
    i128 v[3] = {0, 0, 0};
    for (int j = 0; j < k; ++j) v[j] = graph_[ops[j]].range.lo;
    return constant(Dyadic::make(eval_node(graph_, tmp, v[0], v[1], v[2]), r.exp));
}

NodeId GraphBuilder::new_input(const ExactRange& range) {
    Node n = node_of(Op::Input, no_node, no_node, no_node, std::int32_t(input_count_++));
    n.range = range;
    return intern(n);
}

NodeId GraphBuilder::input(const kif& q) {
    check_format(q, "input");
    return new_input(ExactRange::of(q));
}

NodeId GraphBuilder::input(const ExactRange& r) {
    if (r.lo > r.hi) fail("input", "empty range {} (lo > hi)", fixvar::to_string(r));
    r.check("input");
    return new_input(r);
}

NodeId GraphBuilder::input_unformatted() {
    NodeId id = new_input(ExactRange{0, 1, 0});  // placeholder until the first quantize
    unformatted_.emplace(id, 1);
    return id;
}

NodeId GraphBuilder::constant(const Dyadic& c) {
    Node n;
    n.op = Op::Const;
    n.range = ExactRange::constant(c.mant, c.exp);
    return intern(n);
}

Dyadic GraphBuilder::constant_value(NodeId id) const {
    const Node& n = graph_[id];
    if (n.op != Op::Const) fail("constant_value", "node %{} is not a constant", id);
    return Dyadic::make(n.range.lo, n.range.exp);
}

NodeId GraphBuilder::shift(NodeId a, int s) {
    require_formatted(a, "shift");
    if (s == 0 || graph_[a].op == Op::Const) {
        if (s == 0) return a;
        Dyadic c = constant_value(a);
        return constant(Dyadic::make(c.mant, c.exp + s));
    }
    const Node& na = graph_[a];
    if (na.op == Op::Shift) return shift(na.a, na.param + s);
    if (na.op == Op::Neg) return neg(shift(na.a, s));  // keep Neg outermost
    return intern(node_of(Op::Shift, a, no_node, no_node, s));
}

NodeId GraphBuilder::neg(NodeId a) {
    require_formatted(a, "neg");
    const Node& na = graph_[a];
    if (na.op == Op::Const) {
        Dyadic c = constant_value(a);
        return constant(Dyadic{-c.mant, c.exp});
    }
    if (na.op == Op::Neg) return na.a;
    // -(x - (y<<s)) is (y<<s) - x: swapping a subtractor's operands is free, a negator is not
    // (also under a free shift: -(d<<k) is (-d)<<k).
    if (na.op == Op::Shift && graph_[na.a].op == Op::Add && graph_[na.a].subtract()) {
        const NodeId d = na.a;  // copies: neg() appends nodes, which may move `na`
        const int k = na.param;
        return shift(neg(d), k);
    }
    if (na.op == Op::Add && na.subtract()) {
        NodeId x = na.a, y = na.b;
        int s = na.param;
        ExactRange known = range_neg(na.range);
        bool own_atom = form_[std::size_t(a)].size == 0;
        std::vector<LinearTerm> minus_a = linear_form(a);  // a's form, or a itself
        NodeId flipped = add(shift(y, s), x, 0, true);
        assume_range(flipped, known);
        // flipped is -1 * a, so its form is -form(a): the add may have found an interned node
        // (a CMVM adder) whose form is over other atoms, and sums such as 3a = 4a - a must see
        // the cancellation. Own atom (over the budget): -a rather than a new atom.
        if (own_atom || track_forms_) {
            for (LinearTerm& t : minus_a) t = scaled_term(t, Dyadic{-1, 0});
            assume_linear_form(flipped, minus_a);
        }
        return flipped;
    }
    return intern(node_of(Op::Neg, a));
}

NodeId GraphBuilder::add(NodeId a, NodeId b, int s, bool subtract) {
    require_formatted(a, "add");
    require_formatted(b, "add");
    // Peel free shifts and negations off both operands: value = (±A<<sa) + (±B<<sb).
    auto peel = [&](NodeId x, int& sh, bool& ng) {
        for (;;) {
            const Node& n = graph_[x];
            if (n.op == Op::Shift) {
                sh += n.param;
                x = n.a;
            } else if (n.op == Op::Neg) {
                ng = !ng;
                x = n.a;
            } else {
                return x;
            }
        }
    };
    int sa = 0, sb = s;
    bool na = false, nb = subtract;
    a = peel(a, sa, na);
    b = peel(b, sb, nb);
    return add_canonical(a, sa, na, b, sb, nb);
}

NodeId GraphBuilder::add_canonical(NodeId a, int sa, bool na, NodeId b, int sb, bool nb) {
    auto term = [&](NodeId x, int sh, bool ng) { return ng ? neg(shift(x, sh)) : shift(x, sh); };
    if (graph_[a].op == Op::Const && graph_[b].op == Op::Const) {
        Dyadic x = constant_value(a), y = constant_value(b);
        ExactRange r = range_add(ExactRange::constant(na ? -x.mant : x.mant, x.exp + sa),
                                 ExactRange::constant(nb ? -y.mant : y.mant, y.exp + sb), false);
        return constant(Dyadic::make(r.lo, r.exp));
    }
    if (graph_[b].range.lo == 0 && graph_[b].range.hi == 0) return term(a, sa, na);
    if (graph_[a].range.lo == 0 && graph_[a].range.hi == 0) return term(b, sb, nb);

    // Canonical form: positive first operand, smaller id first when both signs agree.
    // -(A<<sa) - (B<<sb): a subtractor among A, B is negated for free by swapping its operands;
    // otherwise it is built as -((A<<sa) + (B<<sb)).
    auto subtractor = [&](NodeId x) { return graph_[x].op == Op::Add && graph_[x].subtract(); };
    if (na && nb && subtractor(a)) return add(shift(neg(a), sa), shift(b, sb), 0, true);
    if (na && nb && subtractor(b)) return add(shift(neg(b), sb), shift(a, sa), 0, true);
    bool both_neg = na && nb;
    if (both_neg) na = nb = false;
    if (na || (na == nb && a > b)) {
        std::swap(a, b);
        std::swap(sa, sb);
        std::swap(na, nb);
    }
    // The node is a + (±b << (sb - sa)); its linear form decides its exact range (x - x and
    // other cancelling sums are constants).
    // While forms are off, multiples of one atom still get theirs (x*3 exact, x - x = 0).
    bool track = track_forms_ || same_atom(a, b);
    bool shared = false;
    std::size_t n = track ? sum_form(a, b, sb - sa, nb, shared) : 0;
    std::size_t before = graph_.size();
    NodeId id;
    if (track && linear_atom_count({form_scratch_.data(), n}) == 0) {
        const LinearTerm* k = n ? &form_scratch_[0] : nullptr;
        id = constant(k ? Dyadic::make(k->mant, k->exp) : Dyadic{});
    } else {
        id = intern(node_of(Op::Add, a, b, no_node, sb - sa, nb ? 1 : 0));
        bool fresh = std::size_t(id) >= before;
        if (graph_[id].op == Op::Add && (fresh || form_[std::size_t(id)].begin == untracked)) {
            if (track)
                settle_form(id, n, shared, fresh);
            else
                form_[std::size_t(id)].begin = untracked;
        }
    }
    NodeId out = shift(id, sa);
    return both_neg ? neg(out) : out;
}

void GraphBuilder::assume_range(NodeId id, const ExactRange& values) {
    ExactRange r = values;
    for (;;) {  // express the fact about the node under free shifts/negations
        const Node& n = graph_[id];
        if (n.op == Op::Shift) {
            r = range_shift(r, -n.param);
        } else if (n.op == Op::Neg) {
            r = range_neg(r);
        } else {
            break;
        }
        id = n.a;
    }
    const Node& n = graph_[id];
    if (n.op == Op::Const || n.op == Op::Input) return;
    const ExactRange& have = n.range;
    ExactRange tight = range_meet(have, r);
    FIXVAR_ASSERT(tight.lo <= tight.hi);  // a proven range must meet the sound one
    // A single value would change how consumers align it; constants come from folding instead.
    // Nodes built on this one (free shifts and negations, earlier users of a shared node) are
    // re-derived, so every range stays within its op rule's.
    if (!(tight == have) && tight.lo != tight.hi) graph_.narrow(id, tight);
}

NodeId GraphBuilder::mul(NodeId a, NodeId b) {
    require_formatted(a, "mul");
    require_formatted(b, "mul");
    if (graph_[b].op == Op::Const) return mul_const(a, constant_value(b));
    if (graph_[a].op == Op::Const) return mul_const(b, constant_value(a));
    if (a > b) std::swap(a, b);
    return intern(node_of(Op::Mul, a, b));
}

NodeId GraphBuilder::mul_const(NodeId a, const Dyadic& c) {
    require_formatted(a, "mul_const");
    if (c.is_zero()) return constant(Dyadic{});
    if (graph_[a].op == Op::Const) {
        Dyadic x = constant_value(a);
        return constant(Dyadic::make(checked_mul(x.mant, c.mant, "mul"), x.exp + c.exp));
    }
    // Terms ±(a << p), summed pairwise in a balanced tree (adjacent positions first).
    std::vector<NodeId> terms;
    for (auto [p, sign] : csd(c.mant)) {
        NodeId t = shift(a, p + c.exp);
        terms.push_back(sign < 0 ? neg(t) : t);
    }
    while (terms.size() > 1) {
        std::vector<NodeId> next;
        for (std::size_t j = 0; j + 1 < terms.size(); j += 2) next.push_back(add(terms[j], terms[j + 1]));
        if (terms.size() % 2) next.push_back(terms.back());
        terms = std::move(next);
    }
    return terms[0];
}

NodeId GraphBuilder::quantize(NodeId a, const kif& q, Round round, Overflow overflow) {
    check_format(q, "quantize");
    if (is_unformatted(a)) {
        graph_.set_input_range(a, ExactRange::of(q));
        unformatted_.erase(a);
        return a;
    }
    if (quantize_is_identity(graph_[a].range, q, round, overflow)) return a;
    Quantizer spec{q, round, overflow};
    auto it = std::find(quantizer_keys_.begin(), quantizer_keys_.end(), spec);
    std::int32_t index;
    if (it == quantizer_keys_.end()) {
        index = graph_.add_quantizer(spec);
        quantizer_keys_.push_back(spec);
    } else {
        index = std::int32_t(it - quantizer_keys_.begin());
    }
    return intern(node_of(Op::Quantize, a, no_node, no_node, index));
}

NodeId GraphBuilder::relu(NodeId a) {
    require_formatted(a, "relu");
    const ExactRange& r = graph_[a].range;
    if (r.lo >= 0) return a;
    if (r.hi <= 0) return constant(Dyadic{});
    return intern(node_of(Op::Relu, a));
}

NodeId GraphBuilder::abs(NodeId a) {
    require_formatted(a, "abs");
    const ExactRange& r = graph_[a].range;
    if (r.lo >= 0) return a;
    if (r.hi <= 0) return neg(a);
    return intern(node_of(Op::Abs, a));
}

namespace {
// The answer of `a p b` when the exact ranges decide it (d = a - b), else nullopt.
std::optional<bool> decided(const ExactRange& a, const ExactRange& b, Pred p) {
    ExactRange d = range_add(a, b, true);
    // Values of a and b lie on their grids: a constant off the other's grid is never equal.
    auto off_grid = [](const ExactRange& c, const ExactRange& v) {
        return c.is_constant() && c.lo != 0 && c.exp < v.exp;
    };
    bool never_equal = d.lo > 0 || d.hi < 0 || off_grid(a, b) || off_grid(b, a);
    switch (p) {
        case Pred::LT:
            if (d.hi < 0) return true;
            if (d.lo >= 0) return false;
            break;
        case Pred::LE:
            if (d.hi <= 0) return true;
            if (d.lo > 0) return false;
            break;
        case Pred::GT:
            if (d.lo > 0) return true;
            if (d.hi <= 0) return false;
            break;
        case Pred::GE:
            if (d.lo >= 0) return true;
            if (d.hi < 0) return false;
            break;
        case Pred::EQ:
            if (never_equal) return false;
            if (d.lo == 0 && d.hi == 0) return true;
            break;
        case Pred::NE:
            if (never_equal) return true;
            if (d.lo == 0 && d.hi == 0) return false;
            break;
    }
    return std::nullopt;
}
}  // namespace

NodeId GraphBuilder::max(NodeId a, NodeId b) { return extremum(Op::Max, a, b); }
NodeId GraphBuilder::min(NodeId a, NodeId b) { return extremum(Op::Min, a, b); }

// max / min: an operand that the exact ranges prove larger (smaller) is the answer itself.
NodeId GraphBuilder::extremum(Op op, NodeId a, NodeId b) {
    const char* name = op == Op::Max ? "max" : "min";
    require_formatted(a, name);
    require_formatted(b, name);
    if (a == b) return a;
    switch (decided_extremum(graph_[a].range, graph_[b].range, op == Op::Max)) {
        case Extremum::first: return a;
        case Extremum::second: return b;
        case Extremum::undecided: break;
    }
    return intern(node_of(op, std::min(a, b), std::max(a, b)));
}

NodeId GraphBuilder::cmp(NodeId a, NodeId b, Pred p) {
    require_formatted(a, "cmp");
    require_formatted(b, "cmp");
    auto truth = [&](bool v) { return constant(Dyadic{v ? 1 : 0, 0}); };
    if (a == b) return truth(p == Pred::LE || p == Pred::GE || p == Pred::EQ);
    if (auto v = decided(graph_[a].range, graph_[b].range, p)) return truth(*v);
    return intern(node_of(Op::Cmp, a, b, no_node, 0, std::uint8_t(p)));
}

NodeId GraphBuilder::select(NodeId cond, NodeId a, NodeId b) {
    for (NodeId o : {cond, a, b}) require_formatted(o, "where");
    const ExactRange& rc = graph_[cond].range;
    if (!is_condition(rc))
        fail("where", "the condition must be a 1-bit value (a comparison or msb), got range {}", fixvar::to_string(rc));
    if (graph_[cond].op == Op::Const) return rc.lo ? a : b;
    if (a == b) return a;
    return intern(node_of(Op::Select, cond, a, b));
}

NodeId GraphBuilder::table(NodeId a, Table t) {
    require_formatted(a, "apply");
    if (graph_[a].op == Op::Const) {
        if (t.values.size() != 1) fail("apply", "a table over a constant input has one entry, not {}", t.values.size());
        return constant(Dyadic::make(t.values[0], t.exp));
    }
    return intern(node_of(Op::Table, a, no_node, no_node, graph_.add_table(std::move(t))));
}

NodeId GraphBuilder::bit(NodeId a, int p) {
    require_formatted(a, "bit");
    if (p < 0) fail("bit", "bit position {} must be >= 0", p);
    return intern(node_of(Op::Bit, a, no_node, no_node, std::min(p, 127)));
}

NodeId GraphBuilder::msb(NodeId a) {
    require_formatted(a, "msb");
    const ExactRange& r = graph_[a].range;
    kif q = r.minimal_kif();
    if (q.width() == 0) return constant(Dyadic{});
    return bit(a, q.width() - 1);
}

}  // namespace fixvar::ir
