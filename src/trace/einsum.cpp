#include <algorithm>
#include <map>

#include <fixvar/core/error.hpp>
#include <fixvar/core/shape_rules.hpp>
#include <fixvar/trace/einsum.hpp>
#include <fixvar/trace/linear.hpp>
#include <fixvar/trace/reduce.hpp>

namespace fixvar {
namespace {

// Labels: a letter's char code, or ellipsis_label + k for the k-th ellipsis dimension counted
// from the right (so ellipses of different lengths align on the right, like broadcasting).
constexpr int ellipsis_label = 1000;
bool is_ellipsis(int l) { return l >= ellipsis_label; }

struct Operand {
    FixedVariableArray array;
    std::vector<int> labels;  // one per axis
};

struct Term {
    std::vector<int> letters;  // letters, with -1 where the ellipsis stands
    EinsumTerm syntax;         // letter count and ellipsis (core/shape_rules.hpp)
    std::string text;
};

class Spec {
public:
    Spec(std::string_view spec, const std::vector<const FixedVariableArray*>& ops)
        : op_(fmt::format("einsum(\"{}\")", spec)) {
        std::string s;
        for (char c : spec)
            if (c != ' ') s += c;
        EinsumSides sides = einsum_sides(s);  // the spec rules: core/shape_rules.hpp
        if (sides.error == EinsumSyntax::two_arrows) fail(op_, "more than one '->' (expected 'inputs->output')");
        std::vector<Term> terms;
        for (std::size_t k = 0; k < einsum_term_count(sides.inputs); ++k)
            terms.push_back(parse_term(einsum_input_term(sides.inputs, k)));
        if (terms.size() != ops.size())
            fail(op_, "{} operand term{} in the spec but {} operand{} given", terms.size(),
                 terms.size() == 1 ? "" : "s", ops.size(), ops.size() == 1 ? "" : "s");
        int max_ell = 0;
        for (std::size_t j = 0; j < ops.size(); ++j) {
            const Term& t = terms[j];
            auto n = std::int64_t(t.syntax.letters);
            auto r = std::int64_t(ops[j]->ndim());
            if (!einsum_term_fits_rank(t.syntax, ops[j]->ndim()))
                fail(op_, "operand {} has shape {} (rank {}) but its term '{}' names {} ax{}", j,
                     to_string(ops[j]->shape()), r, t.text, n, n == 1 ? "is" : "es");
            int ell = int(r - n);
            max_ell = std::max(max_ell, ell);
            std::vector<int> labels;
            for (int l : t.letters) {
                if (l >= 0)
                    labels.push_back(l);
                else
                    for (int k = ell - 1; k >= 0; --k) labels.push_back(ellipsis_label + k);
            }
            inputs.push_back(labels);
            for (std::size_t d = 0; d < labels.size(); ++d) note_size(labels[d], ops[j]->shape()[d], j);
        }
        if (sides.explicit_output) {
            Term t = parse_term(sides.output);
            EinsumOutputLetter bad = einsum_check_output(sides.inputs, sides.output);
            if (bad.problem == EinsumOutputLetter::not_in_inputs)
                fail(op_, "output index '{}' does not appear in any operand", bad.letter);
            if (bad.problem == EinsumOutputLetter::repeated)
                fail(op_, "output index '{}' appears more than once", bad.letter);
            for (int l : t.letters) {
                if (l >= 0)
                    output.push_back(l);
                else
                    for (int k = max_ell - 1; k >= 0; --k) output.push_back(ellipsis_label + k);
            }
        } else {  // implicit: ellipsis dims, then the letters appearing exactly once, sorted
            for (int k = max_ell - 1; k >= 0; --k) output.push_back(ellipsis_label + k);
            std::map<int, int> count;
            for (const auto& in : inputs)
                for (int l : in)
                    if (!is_ellipsis(l)) ++count[l];
            for (auto [l, c] : count)
                if (c == 1) output.push_back(l);
        }
    }

    const std::string& op() const { return op_; }
    std::vector<std::vector<int>> inputs;
    std::vector<int> output;
    std::map<int, std::int64_t> sizes;  // broadcast size of each label

private:
    Term parse_term(std::string_view t) {
        Term term{{}, einsum_term(t), std::string(t)};
        if (term.syntax.error == EinsumSyntax::stray_dot)
            fail(op_, "term '{}' has a stray '.' (an ellipsis is '...', at most once per term)", t);
        if (term.syntax.error == EinsumSyntax::invalid_char)
            fail(op_, "invalid character '{}' in term '{}' (indices are letters a-z, A-Z)", term.syntax.bad, t);
        for (std::size_t j = 0; j < t.size(); ++j) {
            term.letters.push_back(t[j] == '.' ? -1 : t[j]);
            if (t[j] == '.') j += 2;
        }
        return term;
    }

    void note_size(int label, std::int64_t n, std::size_t operand) {
        auto [it, fresh] = sizes.emplace(label, n);
        if (fresh || it->second == n) return;
        if (is_ellipsis(label) && broadcast_dim(it->second, n) >= 0) {
            it->second = broadcast_dim(it->second, n);
            return;
        }
        if (is_ellipsis(label))
            fail(op_,
                 "ellipsis dimensions cannot be broadcast together: sizes {} and {} "
                 "(operand {}); broadcast dimensions must be equal or 1",
                 it->second, n, operand);
        fail(op_,
             "index '{}' has size {} in one place but {} in operand {} (sizes of an index "
             "must agree)",
             char(label), it->second, n, operand);
    }

    std::string op_;
};

// Operand with each repeated label reduced to one axis (its diagonal).
Operand diagonal(Operand o, const std::string& op) {
    std::vector<int> uniq;
    for (int l : o.labels)
        if (std::find(uniq.begin(), uniq.end(), l) == uniq.end()) uniq.push_back(l);
    if (uniq.size() == o.labels.size()) return o;
    Shape shape;
    for (int l : uniq) {
        std::int64_t n = -1;
        for (std::size_t d = 0; d < o.labels.size(); ++d)
            if (o.labels[d] == l) {
                if (n >= 0 && o.array.shape()[d] != n)
                    fail(op,
                         "repeated index '{}' has sizes {} and {} (a diagonal needs equal "
                         "sizes)",
                         char(l), n, o.array.shape()[d]);
                n = o.array.shape()[d];
            }
        shape.push_back(n);
    }
    Shape st = shape_strides(o.array.shape());
    // Stride of each unique label in the original: sum over the axes carrying it.
    std::vector<std::int64_t> ust(uniq.size(), 0);
    for (std::size_t u = 0; u < uniq.size(); ++u)
        for (std::size_t d = 0; d < o.labels.size(); ++d)
            if (o.labels[d] == uniq[u]) ust[u] += st[d];
    std::vector<FixedVariable> v;
    std::int64_t n = shape_size(shape);
    v.reserve(std::size_t(n));
    std::vector<std::int64_t> idx(shape.size(), 0);
    for (std::int64_t f = 0; f < n; ++f) {
        std::int64_t off = 0;
        for (std::size_t u = 0; u < idx.size(); ++u) off += idx[u] * ust[u];
        v.push_back(o.array.flat(off));
        for (std::size_t d = idx.size(); d-- > 0;) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    return {FixedVariableArray(std::move(v), shape), uniq};
}

// Drops broadcast (size-1) ellipsis axes whose label is larger elsewhere.
Operand squeeze_broadcast(Operand o, const std::map<int, std::int64_t>& sizes) {
    Shape shape;
    std::vector<int> labels;
    for (std::size_t d = 0; d < o.labels.size(); ++d) {
        if (o.array.shape()[d] == 1 && sizes.at(o.labels[d]) != 1) continue;
        shape.push_back(o.array.shape()[d]);
        labels.push_back(o.labels[d]);
    }
    return {reshape(o.array, shape), labels};
}

bool contains(const std::vector<int>& v, int l) { return std::find(v.begin(), v.end(), l) != v.end(); }

// Sums over the labels for which keep(label) is false.
template <typename Keep>
Operand sum_out(Operand o, Keep&& keep) {
    std::vector<std::int64_t> axes;
    std::vector<int> labels;
    for (std::size_t d = 0; d < o.labels.size(); ++d) {
        if (keep(o.labels[d]))
            labels.push_back(o.labels[d]);
        else
            axes.push_back(std::int64_t(d));
    }
    if (axes.empty()) return o;
    return {sum(o.array, axes), labels};
}

// The operand's elements with axes in the order of `order` (labels it holds).
FixedVariableArray arrange(const Operand& o, const std::vector<int>& order) {
    std::vector<std::int64_t> perm;
    perm.reserve(order.size());
    for (int l : order) perm.push_back(std::find(o.labels.begin(), o.labels.end(), l) - o.labels.begin());
    return transpose(o.array, perm);
}

std::int64_t size_of(const std::vector<int>& labels, const std::map<int, std::int64_t>& sizes) {
    std::int64_t n = 1;
    for (int l : labels) n *= sizes.at(l);
    return n;
}

Dyadic dyadic_of(const FixedVariable& v) { return v.builder().constant_value(v.id()); }

FixedVariableArray finish(const std::vector<FixedVariable>& values, const std::vector<int>& labels, const Spec& spec) {
    Shape shape;
    for (int l : labels) shape.push_back(spec.sizes.at(l));
    Operand r{FixedVariableArray(values, shape), labels};
    return arrange(r, spec.output);
}

// Two operands with unique labels, nothing left to sum alone: y[B,I,J] = sum_K L[B,I,K] R[B,K,J].
FixedVariableArray contract(const Operand& L, const Operand& R, const Spec& spec) {
    std::vector<int> B, I, K, J;
    for (int l : L.labels) {
        bool in_r = contains(R.labels, l), in_out = contains(spec.output, l);
        if (in_r)
            (in_out ? B : K).push_back(l);
        else
            I.push_back(l);
    }
    for (int l : R.labels)
        if (!contains(L.labels, l)) J.push_back(l);
    auto cat = [](std::initializer_list<const std::vector<int>*> parts) {
        std::vector<int> v;
        for (auto* p : parts) v.insert(v.end(), p->begin(), p->end());
        return v;
    };
    FixedVariableArray l = arrange(L, cat({&B, &I, &K}));
    FixedVariableArray r = arrange(R, cat({&B, &K, &J}));
    auto nb = std::size_t(size_of(B, spec.sizes)), ni = std::size_t(size_of(I, spec.sizes));
    auto nk = std::size_t(size_of(K, spec.sizes)), nj = std::size_t(size_of(J, spec.sizes));
    auto L_at = [&](std::size_t b, std::size_t i, std::size_t k) -> const FixedVariable& {
        return l.flat(std::int64_t((b * ni + i) * nk + k));
    };
    auto R_at = [&](std::size_t b, std::size_t k, std::size_t j) -> const FixedVariable& {
        return r.flat(std::int64_t((b * nk + k) * nj + j));
    };
    std::vector<FixedVariable> out(nb * ni * nj, FixedVariable(0.0));
    bool l_const = l.is_constant(), r_const = r.is_constant();
    std::vector<FixedVariable> x;
    // A constant operand: every variable row (or column) times the constant matrix is one
    // linear_forms call. `var(b, p, k)` and `con(b, k, q)` read the operands in matmul order.
    auto contract = [&](std::size_t np, std::size_t nq, auto var, auto con, auto place) {
        for (std::size_t b = 0; b < nb; ++b) {
            DyadicMatrix W(nk, nq);
            for (std::size_t k = 0; k < nk; ++k)
                for (std::size_t q = 0; q < nq; ++q) W(k, q) = dyadic_of(con(b, k, q));
            for (std::size_t p = 0; p < np; ++p) {
                x.clear();
                for (std::size_t k = 0; k < nk; ++k) x.push_back(var(b, p, k));
                auto y = linear_forms(x, W);
                for (std::size_t q = 0; q < nq; ++q) out[place(b, p, q)] = y[q];
            }
        }
    };
    if (r_const && !l_const) {  // variable rows times a constant matrix
        contract(ni, nj, L_at, R_at,
                 [&](std::size_t b, std::size_t i, std::size_t j) { return (b * ni + i) * nj + j; });
    } else if (l_const && !r_const) {  // a constant matrix times variable columns
        contract(
            nj, ni, [&](std::size_t b, std::size_t j, std::size_t k) -> const FixedVariable& { return R_at(b, k, j); },
            [&](std::size_t b, std::size_t k, std::size_t i) -> const FixedVariable& { return L_at(b, i, k); },
            [&](std::size_t b, std::size_t j, std::size_t i) { return (b * ni + i) * nj + j; });
    } else {  // variable x variable (or constant x constant, folded by the builder)
        for (std::size_t b = 0; b < nb; ++b)
            for (std::size_t i = 0; i < ni; ++i)
                for (std::size_t j = 0; j < nj; ++j) {
                    x.clear();
                    for (std::size_t k = 0; k < nk; ++k) x.push_back(L_at(b, i, k) * R_at(b, k, j));
                    out[(b * ni + i) * nj + j] = sum_tree(std::move(x));
                    x = {};
                }
    }
    return finish(out, cat({&B, &I, &J}), spec);
}

FixedVariableArray run(std::string_view text, const std::vector<const FixedVariableArray*>& ops) {
    if (ops.size() != 1 && ops.size() != 2)
        fail(fmt::format("einsum(\"{}\")", text), "supports one or two operands (got {})", ops.size());
    Spec spec(text, ops);
    std::vector<Operand> o;
    for (std::size_t j = 0; j < ops.size(); ++j) {
        o.push_back(diagonal(Operand{*ops[j], spec.inputs[j]}, spec.op()));
        o.back() = squeeze_broadcast(std::move(o.back()), spec.sizes);
    }
    if (o.size() == 1) {
        Operand a = sum_out(o[0], [&](int l) { return contains(spec.output, l); });
        return arrange(a, spec.output);
    }
    // Labels only one operand has and the output lacks are summed there first.
    for (std::size_t j = 0; j < 2; ++j) {
        const Operand& other = o[1 - j];
        o[j] = sum_out(o[j], [&](int l) { return contains(spec.output, l) || contains(other.labels, l); });
    }
    return contract(o[0], o[1], spec);
}

}  // namespace

FixedVariableArray einsum(std::string_view spec, const FixedVariableArray& a) { return run(spec, {&a}); }

FixedVariableArray einsum(std::string_view spec, const FixedVariableArray& a, const FixedVariableArray& b) {
    return run(spec, {&a, &b});
}

FixedVariableArray matmul(const FixedVariableArray& a, const FixedVariableArray& b) {
    if (a.ndim() == 0 || b.ndim() == 0)
        fail("matmul",
             "operands of shapes {} and {}: matmul needs arrays of rank >= 1 (use * to "
             "scale by a scalar)",
             to_string(a.shape()), to_string(b.shape()));
    FixedVariableArray A = a.ndim() == 1 ? reshape(a, {1, a.size()}) : a;
    FixedVariableArray B = b.ndim() == 1 ? reshape(b, {b.size(), 1}) : b;
    std::int64_t ka = A.shape().back(), kb = B.shape()[B.ndim() - 2];
    if (ka != kb)
        fail("matmul", "inner dimensions differ (a is {}, b is {}: {} vs {})", to_string(a.shape()),
             to_string(b.shape()), ka, kb);
    Shape batch_a(A.shape().begin(), A.shape().end() - 2);
    Shape batch_b(B.shape().begin(), B.shape().end() - 2);
    broadcast_shapes(batch_a, batch_b, "matmul (batch dimensions)");
    FixedVariableArray y = einsum("...ij,...jk->...ik", A, B);
    if (b.ndim() == 1) y = squeeze(y, -1);
    if (a.ndim() == 1) y = squeeze(y, -1 - (b.ndim() == 1 ? 0 : 1));
    return y;
}

}  // namespace fixvar
