#include <fixvar/cmvm/solution.hpp>
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <random>

namespace fixvar::cmvm {

namespace {

Dyadic dy_add(const Dyadic& a, const Dyadic& b) {
    if (a.is_zero()) return b;
    if (b.is_zero()) return a;
    int e = std::min(a.exp, b.exp);
    i128 ma = checked_shl(a.mant, a.exp - e, "cmvm value");
    i128 mb = checked_shl(b.mant, b.exp - e, "cmvm value");
    return Dyadic::make(checked_add(ma, mb, "cmvm value"), e);
}

Dyadic dy_scale(const Dyadic& a, int shift, bool negate) {
    if (a.is_zero()) return a;
    int e = a.exp + shift;  // both within +-max_exponent (check_structure): no int overflow
    if (e > max_exponent || e < -max_exponent)
        fail("cmvm", "value step 2^{} is outside the supported exponent range +-{}", e, max_exponent);
    return Dyadic{negate ? -a.mant : a.mant, e};
}

// Operands are earlier nodes, outputs exist, shifts are within the exponent range: a solution
// read or built by a caller is checked before any of its ids is used.
void check_structure(const Solution& s) {
    if (s.n < 0) fail("cmvm", "solution '{}': negative input count {}", s.name, s.n);
    auto check_shift = [&](int shift, const char* what, std::size_t j) {
        if (shift > max_exponent || shift < -max_exponent)
            fail("cmvm", "solution '{}': {} {} has shift {}, outside +-{}", s.name, what, j, shift, max_exponent);
    };
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        const Adder& ad = s.adders[k];
        long id = long(s.n) + long(k);
        if (ad.a < 0 || ad.a >= id || ad.b < 0 || ad.b >= id)
            fail("cmvm",
                 "solution '{}': adder n{} = n{} {} n{} uses a node that is not earlier "
                 "(operands must be inputs 0..{} or earlier adders)",
                 s.name, id, ad.a, ad.sub ? '-' : '+', ad.b, s.n - 1);
        check_shift(ad.shift, "adder", k);
    }
    long nodes = long(s.n) + long(s.adders.size());
    for (std::size_t c = 0; c < s.outputs.size(); ++c) {
        const OutputRef& o = s.outputs[c];
        if (o.node < -1 || o.node >= nodes)
            fail("cmvm",
                 "solution '{}': output {} refers to node {}, which does not exist "
                 "(-1 for the constant 0, else 0..{})",
                 s.name, c, o.node, nodes - 1);
        check_shift(o.shift, "output", c);
    }
}

}  // namespace

std::vector<int> reader_counts(const Solution& s) {
    check_structure(s);
    std::vector<int> uses(std::size_t(s.n + s.adder_count()), 0);
    for (const Adder& a : s.adders) ++uses[std::size_t(a.a)], ++uses[std::size_t(a.b)];
    for (const OutputRef& o : s.outputs)
        if (o.node >= 0) ++uses[std::size_t(o.node)];
    return uses;
}

int adder_depth(const Solution& s) {
    check_structure(s);
    std::vector<int> d(std::size_t(s.n + s.adder_count()), 0);
    int dmax = 0;
    for (int k = 0; k < s.adder_count(); ++k) {
        d[s.n + k] = 1 + std::max(d[s.adders[k].a], d[s.adders[k].b]);
        dmax = std::max(dmax, d[s.n + k]);
    }
    return dmax;
}

namespace {

using Form = std::vector<std::pair<int, Dyadic>>;

Form form_combine(const Form& a, const Form& b, int shift, bool sub) {
    Form out;
    out.reserve(a.size() + b.size());
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
            out.push_back(a[i++]);
        } else if (i == a.size() || b[j].first < a[i].first) {
            out.emplace_back(b[j].first, dy_scale(b[j].second, shift, sub));
            ++j;
        } else {
            Dyadic c = dy_add(a[i].second, dy_scale(b[j].second, shift, sub));
            if (!c.is_zero()) out.emplace_back(a[i].first, c);
            ++i, ++j;
        }
    }
    return out;
}

// Exact range of sum_r c_r x_r over the input box: min/max at corners, LSB = min(exp(c_r) - f_r)
// (coefficients are odd mantissas and every input takes an odd mantissa somewhere).
void set_range(NodeInfo& info, const std::vector<ExactRange>& in) {
    if (info.form.empty()) {
        info.range = ExactRange{0, 0, 0};
        info.lsb = info.msb = 0;
        return;
    }
    int e0 = INT32_MAX;
    for (auto& [r, c] : info.form) e0 = std::min(e0, c.exp + in[r].exp);
    i128 lo = 0, hi = 0;
    for (auto& [r, c] : info.form) {
        i128 m = checked_shl(c.mant, c.exp + in[r].exp - e0, "cmvm range");
        i128 p = checked_mul(m, in[r].lo, "cmvm range"), q = checked_mul(m, in[r].hi, "cmvm range");
        lo = checked_add(lo, std::min(p, q), "cmvm range");
        hi = checked_add(hi, std::max(p, q), "cmvm range");
    }
    info.range = ExactRange{lo, hi, e0};
    info.lsb = e0;
    info.msb = e0 + info.range.minimal_kif().width() - 1;
}

std::vector<ExactRange> input_ranges(const std::vector<kif>& inputs) {
    std::vector<ExactRange> r;
    for (const kif& q : inputs) r.push_back(ExactRange::of(q));
    return r;
}

}  // namespace

void analyze(Solution& s, const std::vector<kif>& inputs) { analyze(s, input_ranges(inputs)); }

void analyze(Solution& s, const Problem& p) { analyze(s, p.input_ranges()); }

void analyze(Solution& s, const std::vector<ExactRange>& in) {
    if (int(in.size()) != s.n)
        fail("cmvm", "solution '{}' has {} inputs but {} input ranges were given", s.name, s.n, in.size());
    check_structure(s);
    for (int r = 0; r < s.n; ++r)
        if (in[r].lo > in[r].hi || in[r].exp > max_exponent || in[r].exp < -max_exponent)
            fail("cmvm", "solution '{}': input {}'s range {} is empty or outside the exponent range", s.name, r,
                 to_string(in[r]));
    s.nodes.assign(s.n + s.adders.size(), NodeInfo{});
    for (int r = 0; r < s.n; ++r) {
        s.nodes[r].form = {{r, Dyadic{1, 0}}};
        set_range(s.nodes[r], in);
    }
    s.cost = 0;
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        const Adder& ad = s.adders[k];
        int id = s.n + int(k);
        const NodeInfo &A = s.nodes[ad.a], &B = s.nodes[ad.b];
        NodeInfo& N = s.nodes[id];
        N.form = form_combine(A.form, B.form, ad.shift, ad.sub);
        set_range(N, in);
        N.depth = 1 + std::max(A.depth, B.depth);
        if (N.form.empty()) {
            N.cost = 0;
        } else {
            int la = A.form.empty() ? INT32_MIN : A.lsb;
            int lb = B.form.empty() ? INT32_MIN : B.lsb + ad.shift;
            N.cost = std::max(0, N.msb - std::max(la, lb) + 1);
        }
        s.cost += N.cost;
    }
    s.depth = 0;
    for (std::size_t c = 0; c < s.outputs.size(); ++c) {
        const OutputRef& o = s.outputs[c];
        if (o.node >= 0) s.depth = std::max(s.depth, s.nodes[o.node].depth);
    }
}

std::vector<Dyadic> evaluate(const Solution& s, const std::vector<kif>& inputs, const std::vector<i128>& q) {
    if (int(q.size()) != s.n || int(inputs.size()) != s.n)
        fail("cmvm", "evaluate: solution '{}' has {} inputs but {} formats and {} values were given", s.name, s.n,
             inputs.size(), q.size());
    check_structure(s);
    for (const kif& f : inputs) check_format(f, "cmvm evaluate");
    std::vector<Dyadic> v(s.n + s.adders.size());
    for (int r = 0; r < s.n; ++r) v[r] = Dyadic::make(q[r], -inputs[r].f);
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        const Adder& ad = s.adders[k];
        v[s.n + k] = dy_add(v[ad.a], dy_scale(v[ad.b], ad.shift, ad.sub));
    }
    std::vector<Dyadic> y;
    for (const OutputRef& o : s.outputs) y.push_back(o.node < 0 ? Dyadic{} : dy_scale(v[o.node], o.shift, o.negate));
    return y;
}

bool verify(Solution& s, const Problem& p, int random_points, std::uint64_t seed) {
    s.exact = false;
    if (s.n != p.n || s.m != p.m || int(s.outputs.size()) != p.m) return false;
    analyze(s, p);
    // Symbolic: output c's linear form equals column c of W.
    for (int c = 0; c < p.m; ++c) {
        const OutputRef& o = s.outputs[c];
        std::vector<Dyadic> col(p.n);
        if (o.node >= 0)
            for (auto& [r, coef] : s.nodes[o.node].form) col[r] = dy_scale(coef, o.shift, o.negate);
        for (int r = 0; r < p.n; ++r)
            if (!(col[r] == p.w(r, c))) return false;
    }
    // Exact evaluation against the reference product on corners and random points.
    auto in = p.input_ranges();  // on each format's grid: mantissas q with x = q·2^-f
    std::vector<std::vector<i128>> points;
    std::vector<i128> lo(p.n), hi(p.n);
    for (int r = 0; r < p.n; ++r) lo[r] = in[r].lo, hi[r] = in[r].hi;
    points.push_back(lo);
    points.push_back(hi);
    for (int c = 0; c < std::min(p.m, 32); ++c) {
        std::vector<i128> up(p.n), down(p.n);
        for (int r = 0; r < p.n; ++r) {
            bool neg = p.w(r, c).mant < 0;
            up[r] = neg ? lo[r] : hi[r];
            down[r] = neg ? hi[r] : lo[r];
        }
        points.push_back(up);
        points.push_back(down);
    }
    std::mt19937_64 rng(seed);
    for (int t = 0; t < random_points; ++t) {
        std::vector<i128> x(p.n);
        for (int r = 0; r < p.n; ++r) {
            u128 span = u128(hi[r] - lo[r]) + 1;
            x[r] = lo[r] + i128(u128(rng()) % span);
        }
        points.push_back(x);
    }
    for (const auto& x : points) {
        auto y = evaluate(s, p.inputs, x);
        for (int c = 0; c < p.m; ++c) {
            Dyadic ref{};
            for (int r = 0; r < p.n; ++r) {
                const Dyadic& w = p.w(r, c);
                if (w.is_zero() || x[r] == 0) continue;
                ref = dy_add(ref, Dyadic::make(checked_mul(w.mant, x[r], "cmvm reference"), w.exp - p.inputs[r].f));
            }
            if (!(ref == y[c])) return false;
        }
    }
    s.exact = true;
    return true;
}

std::string dump(const Solution& s) {
    std::string out;
    auto name = [&](int id) { return id < s.n ? fmt::format("x{}", id) : fmt::format("n{}", id); };
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        const Adder& a = s.adders[k];
        int id = s.n + int(k);
        out += fmt::format("{} = {} {} {}<<{}", name(id), name(a.a), a.sub ? '-' : '+', name(a.b), a.shift);
        if (std::size_t(id) < s.nodes.size()) {
            const NodeInfo& N = s.nodes[id];
            out += fmt::format("  {} cost={} depth={}", to_string(N.range), N.cost, N.depth);
        }
        out += "\n";
    }
    for (std::size_t c = 0; c < s.outputs.size(); ++c) {
        const OutputRef& o = s.outputs[c];
        if (o.node < 0)
            out += fmt::format("y{} = 0\n", c);
        else
            out += fmt::format("y{} = {}{}<<{}\n", c, o.negate ? "-" : "", name(o.node), o.shift);
    }
    return out;
}

}  // namespace fixvar::cmvm
