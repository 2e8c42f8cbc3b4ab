// GraphBuilder's linear forms: each sum node records its value as a linear form over atoms
// (core/linear_range.hpp) and is narrowed to that form's exact range. Forms live in one pool
// per builder; only sums (Add nodes) store one, everything else is its own atom, constants are
// their value, and shifts/negations are read through to the node they scale.
#include <fixvar/core/error.hpp>
#include <fixvar/ir/builder.hpp>

#include <algorithm>

namespace fixvar::ir {

NodeId GraphBuilder::peel(NodeId id, int& shift, bool& negate) const {
    for (;;) {
        const Node& n = graph_[id];
        if (n.op == Op::Shift) {
            shift += n.param;
        } else if (n.op == Op::Neg) {
            negate = !negate;
        } else {
            return id;
        }
        id = n.a;
    }
}

// `one` is the storage for the one-term forms of atoms and constants.
std::span<const LinearTerm> GraphBuilder::own_form(NodeId id, LinearTerm& one) const {
    const Node& n = graph_[id];
    if (n.op == Op::Const) {
        if (n.range.is_zero()) return {};
        one = LinearTerm{n.range.lo, n.range.exp, linear_constant_atom};
        return {&one, 1};
    }
    FormRef r = form_[std::size_t(id)];
    if (r.size) return {form_pool_.data() + r.begin, r.size};
    one = LinearTerm{1, 0, std::uint32_t(id)};
    return {&one, 1};
}

std::vector<LinearTerm> GraphBuilder::linear_form(NodeId id) const {
    if (id < 0 || std::size_t(id) >= graph_.size()) fail("linear_form", "node %{} does not exist", id);
    int s = 0;
    bool negate = false;
    LinearTerm one;
    std::span<const LinearTerm> f = own_form(peel(id, s, negate), one);
    std::vector<LinearTerm> out;
    out.reserve(f.size());
    for (const LinearTerm& t : f)
        if (t.mant != 0) out.push_back(scaled_term(t, Dyadic{negate ? -1 : 1, s}));
    return out;
}

bool GraphBuilder::same_atom(NodeId a, NodeId b) const {
    LinearTerm oa, ob;
    std::span<const LinearTerm> fa = own_form(a, oa), fb = own_form(b, ob);
    return fa.size() == 1 && fb.size() == 1 && fa[0].atom == fb[0].atom && fa[0].atom != linear_constant_atom;
}

// form(a) ± form(b) * 2^s into form_scratch_; returns its size.
std::size_t GraphBuilder::sum_form(NodeId a, NodeId b, int s, bool subtract, bool& shared) {
    LinearTerm oa, ob;
    std::span<const LinearTerm> fa = own_form(a, oa), fb = own_form(b, ob);
    if (form_scratch_.size() < fa.size() + fb.size()) form_scratch_.resize(fa.size() + fb.size());
    return combine_linear_forms(fa, Dyadic{1, 0}, fb, Dyadic{subtract ? -1 : 1, s}, form_scratch_.data(), &shared);
}

// A fresh (or untracked) sum node takes the form in form_scratch_[0, n) — or is its own atom
// when that is over the budget. Without an atom shared by both operands, the form's range is the
// interval sum the node already holds (every operand lies within its own form's range), so only
// sums with shared atoms pay for linear_range.
void GraphBuilder::settle_form(NodeId id, std::size_t n, bool shared, bool fresh) {
    std::span<const LinearTerm> f(form_scratch_.data(), n);
    if (linear_atom_count(f) > linear_form_term_budget) {
        form_[std::size_t(id)] = FormRef{};
        return;
    }
    store_form(id, f);
    if (!shared) return;
    ExactRange exact = linear_range(f, [&](std::uint32_t atom) { return graph_[NodeId(atom)].range; });
    const ExactRange& have = graph_[id].range;
    ExactRange tight = range_meet(have, exact);
    FIXVAR_ASSERT(tight.lo <= tight.hi);  // both hold every value the node takes
    if (!(tight == have) && tight.lo != tight.hi) {
        // Without users yet, tightening the node alone keeps the graph consistent.
        if (fresh)
            graph_.tighten(id, tight);
        else
            graph_.narrow(id, tight);
    }
}

void GraphBuilder::store_form(NodeId id, std::span<const LinearTerm> form) {
    if (form_pool_.size() + form.size() > std::size_t(UINT32_MAX))
        fail("linear_form", "more than {} stored terms; split the design", UINT32_MAX);
    form_[std::size_t(id)] = FormRef{std::uint32_t(form_pool_.size()), std::uint32_t(form.size())};
    form_pool_.insert(form_pool_.end(), form.begin(), form.end());
}

void GraphBuilder::assume_linear_form(NodeId id, std::span<const LinearTerm> form, bool narrow) {
    if (id < 0 || std::size_t(id) >= graph_.size()) fail("assume_linear_form", "node %{} does not exist", id);
    for (std::size_t j = 0; j < form.size(); ++j) {
        const LinearTerm& t = form[j];
        bool atom_ok = t.atom == linear_constant_atom || std::size_t(t.atom) < graph_.size();
        if (t.mant == 0 || !atom_ok || (j > 0 && form[j - 1].atom >= t.atom))
            fail("assume_linear_form", "term {} is not a nonzero term of an existing atom in increasing atom order", j);
    }
    int s = 0;
    bool negate = false;
    NodeId base = peel(id, s, negate);
    const Node& n = graph_[base];
    if (n.op == Op::Const || n.op == Op::Input) return;  // their own forms are exact
    if (linear_atom_count(form) > linear_form_term_budget) {
        form_[std::size_t(base)] = FormRef{};  // its own atom, with the range it has
        return;
    }
    for (const LinearTerm& t : form)
        if (t.atom == std::uint32_t(base)) return;  // not a definition of base: keep what it has
    // The form 0 is stored as a zero constant term (an empty one would read "its own atom").
    const LinearTerm zero{0, 0, linear_constant_atom};
    if (form.empty()) form = {&zero, 1};
    // form describes id = ±base << s: base is form * (±2^-s).
    if (form_pool_.size() + form.size() > std::size_t(UINT32_MAX))
        fail("linear_form", "more than {} stored terms; split the design", UINT32_MAX);
    auto begin = std::uint32_t(form_pool_.size());
    for (const LinearTerm& t : form) form_pool_.push_back(scaled_term(t, Dyadic{negate ? -1 : 1, -s}));
    form_[std::size_t(base)] = FormRef{begin, std::uint32_t(form.size())};
    if (!narrow) return;
    std::span<const LinearTerm> own(form_pool_.data() + begin, form.size());
    assume_range(base, linear_range(own, [&](std::uint32_t atom) { return graph_[NodeId(atom)].range; }));
}

}  // namespace fixvar::ir
