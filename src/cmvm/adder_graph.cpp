#include "adder_graph.hpp"
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <climits>

namespace fixvar::cmvm {

void coefficient_overflow() {
    fail("cmvm",
         "a sum's coefficient does not fit 64-bit integers (the weights, scaled to integers, "
         "are too wide for the sums built from them); quantize the weights to fewer bits");
}

IntProblem to_integer(const Problem& p) {
    p.validate();
    IntProblem ip;
    ip.n = p.n;
    ip.m = p.m;
    int emin = INT_MAX, emax = INT_MIN;
    for (const Dyadic& d : p.weights)
        if (!d.is_zero()) {
            emin = std::min(emin, d.exp);
            emax = std::max(emax, d.exp + bit_length(u128(d.mant < 0 ? -d.mant : d.mant)));
        }
    ip.exp = emin == INT_MAX ? 0 : emin;
    if (emin != INT_MAX && emax - emin > 60)
        fail("cmvm",
             "problem '{}': the weights span {} bits (from 2^{} to 2^{}); at most 60 are "
             "supported — quantize the weights to fewer bits",
             p.name, emax - emin, emin, emax);
    ip.w.resize(p.weights.size());
    for (std::size_t k = 0; k < p.weights.size(); ++k) {
        const Dyadic& d = p.weights[k];
        ip.w[k] = d.is_zero() ? 0 : std::int64_t(d.mant) << (d.exp - ip.exp);
    }
    ip.in = p.input_ranges();
    return ip;
}

AdderGraph::AdderGraph(const IntProblem& p) : n_(p.n), p_(&p) {
    nodes_.resize(p.n);
    for (int r = 0; r < p.n; ++r) {
        nodes_[r].form = {{r, 1}};
        nodes_[r].depth = p.in_depth.empty() ? 0 : p.in_depth[std::size_t(r)];
        set_range(nodes_[r]);
    }
}

void AdderGraph::set_range(Node& nd) const {
    if (nd.form.empty()) {
        nd.lo = nd.hi = 0;
        nd.rexp = nd.lsb = nd.msb = 0;
        return;
    }
    int e0 = INT_MAX, lsb = INT_MAX;
    for (auto& [r, c] : nd.form) {
        e0 = std::min(e0, p_->in[r].exp);
        lsb = std::min(lsb, p_->in[r].exp + int(__builtin_ctzll(std::uint64_t(c))));
    }
    i128 lo = 0, hi = 0;
    for (auto& [r, c] : nd.form) {
        i128 k = checked_shl(c, p_->in[r].exp - e0, "cmvm range");
        i128 a = checked_mul(k, p_->in[r].lo, "cmvm range"), b = checked_mul(k, p_->in[r].hi, "cmvm range");
        lo = checked_add(lo, std::min(a, b), "cmvm range");
        hi = checked_add(hi, std::max(a, b), "cmvm range");
    }
    nd.lo = lo;
    nd.hi = hi;
    nd.rexp = e0;
    nd.lsb = lsb;
    nd.msb = e0 + signed_width(lo, hi) - 1;
}

std::vector<std::pair<int, std::int64_t>> AdderGraph::sum_form(const Term& t1, const Term& t2, int& low_shift) const {
    const Term& lo = (t1.shift < t2.shift || (t1.shift == t2.shift && t1.id <= t2.id)) ? t1 : t2;
    const Term& hi = &lo == &t1 ? t2 : t1;
    low_shift = lo.shift;
    int d = hi.shift - lo.shift;
    std::int64_t sg = lo.sign * hi.sign;
    const auto &a = nodes_[lo.id].form, &b = nodes_[hi.id].form;
    std::vector<std::pair<int, std::int64_t>> out;
    out.reserve(a.size() + b.size());
    std::size_t i = 0, j = 0;
    auto scaled = [&](std::int64_t c) {
        std::int64_t v;
        if (d >= 63 || __builtin_mul_overflow(c, sg * (std::int64_t(1) << d), &v)) coefficient_overflow();
        return v;
    };
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
            out.push_back(a[i++]);
        } else if (i == a.size() || b[j].first < a[i].first) {
            out.emplace_back(b[j].first, scaled(b[j].second));
            ++j;
        } else {
            std::int64_t v;
            if (__builtin_add_overflow(a[i].second, scaled(b[j].second), &v)) coefficient_overflow();
            if (v != 0) out.emplace_back(a[i].first, v);
            ++i, ++j;
        }
    }
    return out;
}

int AdderGraph::combine_cost(const Term& t1, const Term& t2) const {
    int low_shift;
    Node nd;
    nd.form = sum_form(t1, t2, low_shift);
    set_range(nd);
    if (nd.form.empty()) return 0;
    int w = signed_width(nd.lo, nd.hi);
    int wn = signed_width(-nd.hi, -nd.lo);
    int flip = (t1.sign != t2.sign && wn < w) ? w - wn : 0;
    return std::max(0, nd.msb - flip + low_shift - std::max(lsb(t1), lsb(t2)) + 1);
}

Term AdderGraph::combine(const Term& t1, const Term& t2) {
    FIXVAR_ASSERT(!(t1.id == t2.id && t1.shift == t2.shift));
    const Term& lo = (t1.shift < t2.shift || (t1.shift == t2.shift && t1.id <= t2.id)) ? t1 : t2;
    const Term& hi = &lo == &t1 ? t2 : t1;
    Node nd;
    int low_shift;
    nd.form = sum_form(t1, t2, low_shift);  // = lo.sign · (lo + hi) / 2^lo.shift
    FIXVAR_ASSERT(!nd.form.empty());
    set_range(nd);
    int sign = lo.sign;
    // The negated orientation when it needs fewer bits (an unsigned range instead of a signed one).
    if (signed_width(-nd.hi, -nd.lo) < signed_width(nd.lo, nd.hi) && lo.sign != hi.sign) {
        for (auto& [r, c] : nd.form) c = -c;
        set_range(nd);
        sign = -sign;
    }
    nd.a = lo.id;
    nd.b = hi.id;
    nd.d = hi.shift - lo.shift;
    nd.sa = lo.sign * sign;
    nd.sb = hi.sign * sign;
    FIXVAR_ASSERT(nd.sa > 0 || nd.sb > 0);
    nd.depth = 1 + std::max(nodes_[lo.id].depth, nodes_[hi.id].depth);
    nd.cost = std::max(0, nd.msb + low_shift - std::max(lsb(t1), lsb(t2)) + 1);
    cost_ += nd.cost;
    nodes_.push_back(std::move(nd));
    return Term{int(nodes_.size()) - 1, lo.shift, sign};
}

Solution AdderGraph::finish(const std::vector<std::optional<Term>>& out, int exp) const {
    // Keep only the adders some output reaches (ids renumbered in order).
    std::vector<char> used(nodes_.size(), 0);
    for (const auto& t : out)
        if (t) used[t->id] = 1;
    for (int k = int(nodes_.size()) - 1; k >= n_; --k)
        if (used[k]) used[nodes_[k].a] = used[nodes_[k].b] = 1;
    // Solution node k holds this node's value / 2^z[k] so that every adder is a ± b·2^s.
    std::vector<int> remap(nodes_.size(), -1), z(nodes_.size(), 0);
    for (int r = 0; r < n_; ++r) remap[r] = r;
    Solution s;
    s.n = n_;
    s.m = int(out.size());
    s.cost = 0;
    for (std::size_t k = n_; k < nodes_.size(); ++k) {
        if (!used[k]) continue;
        const Node& nd = nodes_[k];
        Adder a;
        if (nd.sa > 0) {
            z[k] = z[nd.a];
            a = Adder{remap[nd.a], remap[nd.b], z[nd.b] + nd.d - z[nd.a], nd.sb < 0};
        } else {
            z[k] = z[nd.b] + nd.d;
            a = Adder{remap[nd.b], remap[nd.a], z[nd.a] - z[k], true};
        }
        remap[k] = n_ + int(s.adders.size());
        s.adders.push_back(a);
        s.cost += nd.cost;
    }
    for (const auto& t : out) {
        if (!t)
            s.outputs.push_back(OutputRef{});
        else
            s.outputs.push_back(OutputRef{remap[t->id], t->shift + exp + z[t->id], t->sign < 0});
    }
    return s;
}

void fold_term(std::vector<Term>& ts, Term t) {
    for (;;) {
        auto it = std::find_if(ts.begin(), ts.end(), [&](const Term& u) { return u.id == t.id && u.shift == t.shift; });
        if (it == ts.end()) return ts.push_back(t);
        bool same = it->sign == t.sign;
        ts.erase(it);
        if (!same) return;
        t.shift += 1;
    }
}

void combine_pair(AdderGraph& b, std::vector<Term>& ts, std::size_t i, std::size_t j) {
    Term t = b.combine(ts[i], ts[j]);
    ts.erase(ts.begin() + std::ptrdiff_t(j));
    ts.erase(ts.begin() + std::ptrdiff_t(i));
    fold_term(ts, t);
}

std::vector<Term> folded(const std::vector<Term>& ts) {
    std::vector<Term> f;
    for (const Term& t : ts) fold_term(f, t);
    return f;
}

int sum_msb(const AdderGraph& b, const Term& t1, const Term& t2) {
    const auto &A = b.node(t1.id), &B = b.node(t2.id);
    int ea = A.rexp + t1.shift, eb = B.rexp + t2.shift, e = std::min(ea, eb);
    if (std::max(ea, eb) - e > 40 || std::max(A.msb - A.rexp, B.msb - B.rexp) > 80)
        return std::max(b.msb(t1), b.msb(t2)) + 1;
    i128 la = A.lo << (ea - e), ha = A.hi << (ea - e), lb = B.lo << (eb - e), hb = B.hi << (eb - e);
    if (t1.sign < 0) std::swap(la, ha), la = -la, ha = -ha;
    if (t2.sign < 0) std::swap(lb, hb), lb = -lb, hb = -hb;
    i128 lo = la + lb, hi = ha + hb;
    if (lo == 0 && hi == 0) return INT_MIN / 2;
    return e + std::min(signed_width(lo, hi), signed_width(-hi, -lo)) - 1;
}

}  // namespace fixvar::cmvm
