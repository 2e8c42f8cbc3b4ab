#include <fixvar/core/error.hpp>
#include <fixvar/core/linear_range.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/trace/linear.hpp>

#include <algorithm>
#include <optional>

namespace fixvar {

namespace {

// Per-term canonical signed digits, one balanced adder tree per column (the unoptimized path).
std::vector<ir::NodeId> csd_columns(ir::GraphBuilder& g, const std::vector<ir::NodeId>& ids, const DyadicMatrix& W) {
    std::vector<ir::NodeId> y, terms;
    for (std::size_t c = 0; c < W.cols; ++c) {
        terms.clear();
        for (std::size_t r = 0; r < W.rows; ++r)
            if (!W(r, c).is_zero()) terms.push_back(g.mul_const(ids[r], W(r, c)));
        if (terms.empty()) terms.push_back(g.constant(Dyadic{}));
        while (terms.size() > 1) {  // balanced adder tree, adjacent pairs first
            std::size_t n = 0;
            for (std::size_t j = 0; j + 1 < terms.size(); j += 2) terms[n++] = g.add(terms[j], terms[j + 1]);
            if (terms.size() % 2) terms[n++] = terms.back();
            terms.resize(n);
        }
        y.push_back(terms[0]);
    }
    return y;
}

// Sums built while this lives are their own atoms (GraphBuilder::track_linear_forms).
struct FormsOff {
    explicit FormsOff(ir::GraphBuilder& b) : g(b), was(b.track_linear_forms(false)) {}
    FormsOff(const FormsOff&) = delete;
    FormsOff& operator=(const FormsOff&) = delete;
    ~FormsOff() { restore(); }
    void restore() { g.track_linear_forms(was); }
    ir::GraphBuilder& g;
    bool was;
};

// An output's adders that nothing else reads can be rebuilt for it, which two things need:
// - A negated output is free in the optimizer's metric, but a negator in hardware is a carry
//   chain of the output's width at the end of its path. When the single-use subtree holds a
//   subtractor, it computes the negated value itself: -(a - b) is b - a, -(a + b) is (-a) - b.
// - A layer's constant (its bias) added after the output's root is another carry chain on every
//   path through the layer. Added instead where the root's earlier operand arrives, it is off
//   the longest path: the same adders, fewer levels.
struct SingleUseSums {
    ir::GraphBuilder& g;
    const cmvm::Solution& s;
    const std::vector<ir::NodeId>& node;  // the solution's nodes as built
    std::vector<int> uses = cmvm::reader_counts(s);

    bool single_use_adder(int id) const { return id >= s.n && uses[std::size_t(id)] == 1; }
    const cmvm::Adder& adder(int id) const { return s.adders[std::size_t(id - s.n)]; }
    const ExactRange& range(int id) const { return s.nodes[std::size_t(id)].range; }

    // -value(id) without a negator, or nullopt.
    std::optional<ir::NodeId> negated(int id) {
        if (!single_use_adder(id)) return std::nullopt;
        const cmvm::Adder& a = adder(id);
        ir::NodeId x = node[std::size_t(a.a)], y = node[std::size_t(a.b)];
        std::optional<ir::NodeId> minus;
        if (a.sub) {
            minus = g.add(g.shift(y, a.shift), x, 0, true);  // -(x - y<<s) = y<<s - x
        } else if (std::optional<ir::NodeId> mx = negated(a.a)) {
            minus = g.add(*mx, y, a.shift, true);  // -(x + y<<s) = (-x) - y<<s
        } else if (std::optional<ir::NodeId> my = negated(a.b)) {
            minus = g.add(g.shift(*my, a.shift), x, 0, true);  // (-y)<<s - x
        }
        if (minus) g.assume_range(*minus, range_neg(range(id)));
        return minus;
    }

    // value(id) + k, with k added on the earlier-arriving side of each single-use adder as long
    // as that arrives sooner than adding it last.
    ir::NodeId plus_constant(int id, ir::NodeId v, const Dyadic& k) {
        ir::NodeId last = g.add(v, g.constant(k));
        if (!single_use_adder(id)) return last;
        const cmvm::Adder& a = adder(id);
        ir::NodeId x = node[std::size_t(a.a)], y = node[std::size_t(a.b)];
        ir::NodeId inner;
        if (g[x].latency <= g[y].latency) {  // (x + k) ± y<<s
            inner = g.add(plus_constant(a.a, x, k), y, a.shift, a.sub);
        } else {  // x ± (y ± k·2^-s)<<s
            Dyadic ky = Dyadic::make(a.sub ? -k.mant : k.mant, k.exp - a.shift);
            inner = g.add(x, plus_constant(a.b, y, ky), a.shift, a.sub);
        }
        g.assume_range(inner, range_add(range(id), ExactRange::constant(k.mant, k.exp), false));
        return g[inner].latency < g[last].latency ? inner : last;
    }
};

// Node k < n is input k; node n + j is adder j, narrowed to the optimizer's exact range.
// `exact` (optional): each output's exact range, the sum of its terms' ranges — an adder graph's
// interval ranges can be wider (255x as x<<8 - x), so the output nodes are narrowed to it.
// `offsets` (optional): a constant node per output, added to it (SingleUseSums::plus_constant).
std::vector<ir::NodeId> solution_nodes(ir::GraphBuilder& g, const std::vector<ir::NodeId>& inputs,
                                       const cmvm::Solution& s, const std::vector<ExactRange>& exact = {},
                                       const std::vector<ir::NodeId>& offsets = {}) {
    FIXVAR_ASSERT(inputs.size() == std::size_t(s.n) && s.nodes.size() == inputs.size() + s.adders.size());
    FIXVAR_ASSERT(exact.empty() || exact.size() == s.outputs.size());
    FIXVAR_ASSERT(offsets.empty() || offsets.size() == s.outputs.size());
    std::vector<ir::NodeId> node = inputs;
    // The adders are narrowed to the optimizer's exact ranges; only outputs get linear forms
    // (compose_output_forms), which saves a form merge per internal adder.
    FormsOff off(g);
    for (std::size_t j = 0; j < s.adders.size(); ++j) {
        const cmvm::Adder& a = s.adders[j];
        ir::NodeId id = g.add(node[std::size_t(a.a)], node[std::size_t(a.b)], a.shift, a.sub);
        g.assume_range(id, s.nodes[inputs.size() + j].range);
        node.push_back(id);
    }
    // Output c is sign · v·2^shift (+ its constant unless v holds it already).
    struct Out {
        ir::NodeId v;
        bool negate = false, has_constant = false;
        ExactRange range;  // of v, when exact is given
    };
    SingleUseSums sums{g, s, node};
    std::vector<Out> out;
    for (std::size_t c = 0; c < s.outputs.size(); ++c) {
        const cmvm::OutputRef& o = s.outputs[c];
        if (o.node < 0) {
            out.push_back({g.constant(Dyadic{}), false, false, ExactRange{}});
            continue;
        }
        Out r{node[std::size_t(o.node)], o.negate, false, ExactRange{}};
        if (!exact.empty()) r.range = range_shift(exact[c], -o.shift);
        if (std::optional<ir::NodeId> minus = o.negate ? sums.negated(o.node) : std::nullopt) {
            r.v = *minus;
            r.negate = false;
        } else if (!o.negate && !offsets.empty() && !g.constant_value(offsets[c]).is_zero()) {
            Dyadic k = g.constant_value(offsets[c]);
            k = Dyadic::make(k.mant, k.exp - o.shift);
            if (!exact.empty()) g.assume_range(r.v, r.range);  // the root, should k go last
            r.v = sums.plus_constant(o.node, r.v, k);
            r.has_constant = true;
            if (!exact.empty()) r.range = range_add(r.range, ExactRange::constant(k.mant, k.exp), false);
        }
        out.push_back(r);
    }
    off.restore();
    std::vector<ir::NodeId> y;
    for (std::size_t c = 0; c < out.size(); ++c) {
        if (!exact.empty() && s.outputs[c].node >= 0)
            g.assume_range(out[c].v, out[c].negate ? range_neg(out[c].range) : out[c].range);
        ir::NodeId v = g.shift(out[c].v, s.outputs[c].shift);
        v = out[c].negate ? g.neg(v) : v;
        y.push_back(offsets.empty() || out[c].has_constant ? v : g.add(v, offsets[c]));
    }
    return y;
}

cmvm::SolveCache& solve_cache() {
    static cmvm::SolveCache cache;
    return cache;
}

// The CMVM path: variable inputs with nonzero rows form the problem; constant inputs are
// folded into per-column constant offsets.
std::vector<ir::NodeId> cmvm_columns(ir::GraphBuilder& g, const std::vector<ir::NodeId>& ids, const DyadicMatrix& W,
                                     const cmvm::Options& options) {
    std::vector<std::size_t> rows;
    std::vector<ir::NodeId> offsets(W.cols, g.constant(Dyadic{}));
    for (std::size_t r = 0; r < W.rows; ++r) {
        bool zero_row = true;
        for (std::size_t c = 0; c < W.cols && zero_row; ++c) zero_row = W(r, c).is_zero();
        if (zero_row) continue;
        if (g.is_constant(ids[r])) {
            for (std::size_t c = 0; c < W.cols; ++c) offsets[c] = g.add(offsets[c], g.mul_const(ids[r], W(r, c)));
        } else {
            rows.push_back(r);
        }
    }
    if (rows.empty()) return offsets;
    cmvm::Problem p;
    p.name = "linear_forms";
    p.n = int(rows.size());
    p.m = int(W.cols);
    for (std::size_t r : rows) {
        p.inputs.push_back(g[ids[r]].range.minimal_kif());
        p.ranges.push_back(g[ids[r]].range);  // exact: narrower adders than the kif's range
        for (std::size_t c = 0; c < W.cols; ++c) p.weights.push_back(W(r, c));
    }
    cmvm::Solution s = solve_cache().solve(p, options);
    std::vector<ir::NodeId> inputs;
    for (std::size_t r : rows) inputs.push_back(ids[r]);
    std::vector<ExactRange> exact(W.cols);
    for (std::size_t c = 0; c < W.cols; ++c)
        for (std::size_t r : rows) {
            if (W(r, c).is_zero()) continue;
            ExactRange term = range_mul(ExactRange::constant(W(r, c).mant, W(r, c).exp), g[ids[r]].range);
            exact[c] = exact[c].lo == 0 && exact[c].hi == 0 ? term : range_add(exact[c], term, false);
        }
    return solution_nodes(g, inputs, s, exact, offsets);
}

// The rows' linear forms with each term's atom replaced by a slot: atoms numbered in
// increasing order, so a column sums its terms in a dense accumulator instead of sorting them.
struct RowForms {
    std::vector<std::uint32_t> atoms;            // slot -> atom, increasing
    std::vector<std::vector<LinearTerm>> forms;  // per row, atom field = slot
};

RowForms row_forms(const ir::GraphBuilder& g, const std::vector<ir::NodeId>& ids) {
    RowForms f;
    f.forms.resize(ids.size());
    for (std::size_t r = 0; r < ids.size(); ++r) {
        f.forms[r] = g.linear_form(ids[r]);
        for (const LinearTerm& t : f.forms[r]) f.atoms.push_back(t.atom);
    }
    std::sort(f.atoms.begin(), f.atoms.end());
    f.atoms.erase(std::unique(f.atoms.begin(), f.atoms.end()), f.atoms.end());
    for (auto& form : f.forms)
        for (LinearTerm& t : form)
            t.atom = std::uint32_t(std::lower_bound(f.atoms.begin(), f.atoms.end(), t.atom) - f.atoms.begin());
    return f;
}

// Output c is sum_r W(r, c) * x[r]: its linear form is composed from the inputs' forms, so sums
// over the outputs see through the matmul. The rule of core/linear_range.hpp: the output's
// interval range is the per-term sum of W(r, c) * range(x[r]); within the term budget it is
// narrowed to the composed form's range, over it the output is a new atom.
void compose_output_forms(ir::GraphBuilder& g, const std::vector<ir::NodeId>& ids, const DyadicMatrix& W,
                          const std::vector<ir::NodeId>& cols) {
    RowForms rf = row_forms(g, ids);
    std::vector<ExactRange> acc(rf.atoms.size());  // a coefficient as a one-value range
    std::vector<char> used(rf.atoms.size(), 0);
    std::vector<std::uint32_t> touched;
    std::vector<LinearTerm> terms;
    for (std::size_t c = 0; c < W.cols; ++c) {
        ExactRange per_term{};
        bool shared = false;
        touched.clear();
        for (std::size_t r = 0; r < W.rows; ++r) {
            const Dyadic& w = W(r, c);
            if (w.is_zero()) continue;
            for (const LinearTerm& t : rf.forms[r]) {
                LinearTerm s = scaled_term(t, w);
                ExactRange v = ExactRange::constant(s.mant, s.exp);
                if (used[t.atom]) {
                    acc[t.atom] = range_add(acc[t.atom], v, false);
                    shared = shared || rf.atoms[t.atom] != linear_constant_atom;
                } else {
                    used[t.atom] = 1;
                    acc[t.atom] = v;
                    touched.push_back(t.atom);
                }
            }
            ExactRange term = range_mul(ExactRange::constant(w.mant, w.exp), g[ids[r]].range);
            per_term = range_add(per_term, term, false);
        }
        std::sort(touched.begin(), touched.end());
        terms.clear();
        for (std::uint32_t k : touched) {
            used[k] = 0;
            LinearTerm t = linear_term(rf.atoms[k], acc[k].lo, acc[k].exp);
            if (t.mant != 0) terms.push_back(t);
        }
        g.assume_range(cols[c], per_term);
        // Without an atom shared by two rows, the form's range is the per-term one.
        g.assume_linear_form(cols[c], terms, shared);
    }
}

}  // namespace

std::vector<FixedVariable> apply_solution(const std::vector<FixedVariable>& x, const cmvm::Solution& s) {
    if (x.size() != std::size_t(s.n)) fail("apply_solution", "{} inputs for a solution with {} inputs", x.size(), s.n);
    if (x.empty()) return std::vector<FixedVariable>(s.outputs.size(), FixedVariable(0.0));
    TraceContext ctx = x[0].context();
    std::vector<ir::NodeId> ids;
    std::vector<ExactRange> ranges;
    for (const auto& v : x) {
        if (v.context() != ctx || v.is_constant()) fail("apply_solution", "inputs must be variables of one trace");
        ids.push_back(v.id());
        ranges.push_back(v.range());
    }
    // The adders' exact ranges over these inputs (whatever ranges `s` was analysed with).
    cmvm::Solution exact = s;
    cmvm::analyze(exact, ranges);
    std::vector<FixedVariable> y;
    for (ir::NodeId id : solution_nodes(*ctx, ids, exact)) y.emplace_back(ctx, id);
    return y;
}

CombLogic solution_logic(const cmvm::Problem& p, const cmvm::Solution& s) {
    p.validate();
    const TraceContext& ctx = new_trace();
    std::vector<FixedVariable> x;
    for (int r = 0; r < p.n; ++r) x.emplace_back(ctx, ctx->input(p.input_range(r)));
    return comb_trace(x, apply_solution(x, s));
}

LinearOptions& linear_options() {
    thread_local LinearOptions options;
    return options;
}

std::vector<FixedVariable> linear_forms(const std::vector<FixedVariable>& x, const DyadicMatrix& W) {
    if (x.size() != W.rows)
        fail("linear_forms", "{} inputs for a {}x{} matrix (expected {} inputs)", x.size(), W.rows, W.cols, W.rows);
    // All terms are built in the trace of the variable inputs (constants are re-created there).
    TraceContext ctx = current_trace();
    for (const auto& v : x)
        if (!v.is_constant()) {
            ctx = v.context();
            break;
        }
    ir::GraphBuilder& g = *ctx;
    std::vector<ir::NodeId> ids;
    ids.reserve(x.size());
    for (const auto& v : x) {
        if (v.context() == ctx)
            ids.push_back(v.id());
        else if (v.is_constant())
            ids.push_back(g.constant(v.builder().constant_value(v.id())));
        else
            fail("linear_forms",
                 "inputs come from different traces (was new_trace() called in "
                 "between?)");
    }
    const LinearOptions& opt = linear_options();
    std::vector<ir::NodeId> cols = opt.optimize ? cmvm_columns(g, ids, W, opt.cmvm) : csd_columns(g, ids, W);
    compose_output_forms(g, ids, W, cols);
    std::vector<FixedVariable> y;
    y.reserve(W.cols);
    for (ir::NodeId id : cols) y.emplace_back(ctx, id);
    return y;
}

}  // namespace fixvar
