// Exact ranges of linear combinations (core/linear_range.hpp): sums, differences, shifts and
// constant products of linear forms over the same atoms are narrowed to the exact range of
// their combined form, through matmuls too; a form over the term budget becomes a new atom.
// Checked against brute force: every node's range holds every value it takes, and the outputs
// of the last linear segment have exactly the extremes found by enumerating its atoms' grids.
#include <catch2/catch.hpp>

#include <array>
#include <map>
#include <random>

#include <fixvar/core/linear_range.hpp>
#include <fixvar/fixvar.hpp>

using namespace fixvar;

namespace {

struct LinearOptionsGuard {
    LinearOptions saved = linear_options();
    ~LinearOptionsGuard() { linear_options() = saved; }
};

// The rule runs in constant evaluation (the compile-time layer's use).
constexpr ExactRange constexpr_example() {
    // -0.5 h0 + 0.125 h1 + 0.25, h0 and h1 in [0, 31] * 2^-1.
    std::array<LinearTerm, 3> f{LinearTerm{1, 0, 7}, LinearTerm{-1, -1, 3}, LinearTerm{1, -2, linear_constant_atom}};
    std::array<LinearTerm, 3> g{LinearTerm{1, -3, 7}};
    std::array<LinearTerm, 6> out{};
    std::size_t n = canonicalize_linear_form(f);
    n = combine_linear_forms({f.data(), n}, Dyadic{1, 0}, {g.data(), 1}, Dyadic{-1, 0}, out.data());
    return linear_range(std::span<const LinearTerm>(out.data(), n), [](std::uint32_t) {
        return ExactRange{0, 31, -1};
    });
}
static_assert(constexpr_example() == ExactRange{-124 + 4, 217 + 4, -4});

std::string value_text(i128 m, int e) { return Dyadic::make(m, e).to_string(); }

// Every value each input port takes, as mantissa rows (the ports' full grids).
std::vector<i128> all_inputs(const CombLogic& l, std::size_t& batch) {
    const ir::Graph& g = l.graph();
    batch = 1;
    for (ir::NodeId id : g.inputs) batch *= std::size_t(g[id].range.hi - g[id].range.lo + 1);
    std::vector<i128> in;
    for (std::size_t s = 0; s < batch; ++s) {
        std::size_t rest = s;
        for (ir::NodeId id : g.inputs) {
            auto n = std::size_t(g[id].range.hi - g[id].range.lo + 1);
            in.push_back(g[id].range.lo + i128(rest % n));
            rest /= n;
        }
    }
    return in;
}

// Exhaustive run with every node's range checked; returns each output's [min, max] as text.
std::vector<std::string> brute_force(const CombLogic& l) {
    std::size_t batch = 0;
    std::vector<i128> in = all_inputs(l, batch);
    std::vector<i128> out = l.predict_mantissas(in, batch, 1, ir::RangeCheck::every_node);
    std::size_t m = l.graph().outputs.size();
    std::vector<std::string> r;
    for (std::size_t j = 0; j < m; ++j) {
        i128 lo = out[j], hi = out[j];
        for (std::size_t s = 0; s < batch; ++s) {
            lo = std::min(lo, out[s * m + j]);
            hi = std::max(hi, out[s * m + j]);
        }
        int e = l.output_range(j).exp;
        r.push_back(value_text(lo, e) + " .. " + value_text(hi, e));
    }
    return r;
}

std::vector<std::string> traced_extremes(const CombLogic& l) {
    std::vector<std::string> r;
    for (std::size_t j = 0; j < l.graph().outputs.size(); ++j) {
        ExactRange x = l.output_range(j);
        r.push_back(value_text(x.lo, x.exp) + " .. " + value_text(x.hi, x.exp));
    }
    return r;
}

kif small_format(std::mt19937_64& rng, int max_width) {
    kif q{int(rng() % 2), int(rng() % 4) - 1, int(rng() % 4) - 1};
    while (q.width() < 1) q.i += 1;
    while (q.width() > max_width) q.f -= 1;
    return q;
}

DyadicMatrix random_matrix(std::mt19937_64& rng, std::size_t rows, std::size_t cols) {
    DyadicMatrix w(rows, cols);
    for (Dyadic& d : w.data)
        d = rng() % 4 == 0 ? Dyadic{} : Dyadic::make(i128(int(rng() % 15) - 7), int(rng() % 5) - 3);
    return w;
}

// The last linear segment: a matmul, a matmul of its outputs, a sum over them, residual adds
// and a difference that cancels terms.
std::vector<FixedVariable> segment(const std::vector<FixedVariable>& h, const DyadicMatrix& w2,
                                   const DyadicMatrix& w3) {
    std::vector<FixedVariable> z = linear_forms(h, w2), z2 = linear_forms(z, w3);
    FixedVariable s = z[0];
    for (std::size_t j = 1; j < z.size(); ++j) s = s + z[j];
    std::vector<FixedVariable> out{s, z2[0] - z[0] + (h[0] << 1) - 0.75};
    for (std::size_t j = 0; j < z.size(); ++j) out.push_back(z[j] + h[j % h.size()] * 1.5);
    out.insert(out.end(), z2.begin(), z2.end());
    out.insert(out.end(), z.begin(), z.end());
    return out;
}

}  // namespace

TEST_CASE("issue 21's example: a sum over matmul outputs has the exact range kif{1,3,4}", "[trace][linear_form]") {
    LinearOptionsGuard guard;
    for (bool optimize : {false, true}) {
        INFO("optimize " << optimize);
        linear_options().optimize = optimize;
        new_trace();
        FixedVariableArray x = input({3}, kif{1, 3, 2});
        FixedVariableArray y = dense(x, constant({{1.0, 0.0}, {0.0, 2.0}, {1.0, 0.0}}));
        FixedVariableArray h = quantize(relu(y), kif{0, 4, 1}, Round::RND, Overflow::SAT);
        FixedVariableArray z = matmul(h, constant({{1.5, -2.0}, {0.0, 0.125}}));
        FixedVariable s = sum(z).flat(0);
        CHECK(to_string(s.kif()) == to_string(kif{1, 3, 4}));  // interval addition: kif{1,5,4}
        CombLogic l = comb_trace({x.flat(0), x.flat(1), x.flat(2)}, {s});
        CHECK(brute_force(l) == traced_extremes(l));  // -7.75 .. 1.9375 over every input
        CHECK(CombLogic::parse(l.dump()) == l);
    }
}

TEST_CASE("linear forms: x + y - y is x's range, shifts and constant products compose", "[trace][linear_form]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0}), y = input(kif{0, 5, 2});
    FixedVariable a = (x + y) - y;
    CHECK(to_string(a.range()) == to_string(ExactRange{-8 * 4, 7 * 4, -2}));  // x on y's grid
    FixedVariable b = ((x << 2) + y * 3) - (y + (x >> 1)) * 3;                // 2.5 x
    CHECK(to_string(b.range()) == to_string(ExactRange{-40 * 2, 35 * 2, -2}));
    CHECK((x * 0.5 + y - (y + x * 0.5)).is_constant());  // cancels to 0
    std::vector<LinearTerm> f = x.builder().linear_form(b.id());
    REQUIRE(f.size() == 1);
    CHECK((f[0].mant == 5 && f[0].exp == -1 && f[0].atom == std::uint32_t(x.id())));
}

TEST_CASE(
    "linear forms: random networks, every node holds its values, the last linear segment "
    "is exact over its atoms",
    "[trace][linear_form][random]") {
    LinearOptionsGuard guard;
    linear_options().cmvm.threads = 1;
    for (bool optimize : {false, true})
        for (std::uint64_t seed = 1; seed <= 200; ++seed) {
            INFO("optimize " << optimize << ", seed " << seed);
            linear_options().optimize = optimize;
            std::mt19937_64 rng(seed);
            std::size_t n0 = 1 + rng() % 3, n1 = 1 + rng() % 3, n2 = 1 + rng() % 4, n3 = 1 + rng() % 3;
            bool one_segment = seed % 4 == 0;  // no non-linear op: exact over the inputs
            std::vector<FixedVariable> x, h;
            new_trace();
            for (std::size_t r = 0; r < n0; ++r) x.push_back(input(small_format(rng, 3)));
            if (one_segment) {
                h = x;
            } else {
                std::vector<FixedVariable> y = linear_forms(x, random_matrix(rng, n0, n1));
                for (const FixedVariable& v : y)
                    h.push_back(quantize(relu(v + 0.5), small_format(rng, 4), Round::RND, Overflow::SAT));
            }
            DyadicMatrix w2 = random_matrix(rng, h.size(), n2), w3 = random_matrix(rng, n2, n3);
            std::vector<FixedVariable> out = segment(h, w2, w3);
            CombLogic full = comb_trace(x, out);
            INFO(full.dump());
            brute_force(full);  // every node's range holds its values (RangeCheck::every_node)
            // The segment again, its atoms (distinct h nodes) now independent inputs.
            std::map<ir::NodeId, FixedVariable> atom;
            std::vector<FixedVariable> ha, ports;
            const TraceContext& seg = new_trace();
            for (const FixedVariable& v : h) {
                if (v.is_constant()) {
                    ha.push_back(exact_constant(v.min()));
                    continue;
                }
                if (!atom.count(v.id())) {
                    atom.emplace(v.id(), FixedVariable(seg, seg->input(v.range())));
                    ports.push_back(atom.at(v.id()));
                }
                ha.push_back(atom.at(v.id()));
            }
            CombLogic alone = comb_trace(ports, segment(ha, w2, w3));
            std::vector<std::string> want = brute_force(alone);
            CHECK(traced_extremes(alone) == want);
            CHECK(traced_extremes(full) == want);
            CHECK(CombLogic::parse(full.dump()) == full);
        }
}

TEST_CASE("linear forms: a form over the term budget becomes a new atom with its interval range",
          "[trace][linear_form][budget]") {
    for (std::size_t n : {linear_form_term_budget, linear_form_term_budget + 1}) {
        INFO("atoms " << n);
        new_trace();
        std::vector<FixedVariable> x;
        for (std::size_t j = 0; j < n; ++j) x.push_back(input(kif{0, 2, 0}));  // [0, 3]
        FixedVariable s = x[0];
        for (std::size_t j = 1; j < n; ++j) s = s + x[j];
        FixedVariable d = s - x[0];  // exact: [0, 3 (n - 1)]
        std::vector<LinearTerm> f = s.builder().linear_form(s.id());
        if (n <= linear_form_term_budget) {
            CHECK(f.size() == n);
            CHECK(to_string(d.range()) == to_string(ExactRange{0, 3 * i128(n - 1), 0}));
        } else {
            REQUIRE(f.size() == 1);
            CHECK(f[0].atom == std::uint32_t(s.id()));                                 // a new atom
            CHECK(to_string(d.range()) == to_string(ExactRange{-3, 3 * i128(n), 0}));  // interval
            CHECK(s.builder().linear_form(d.id()).size() == 2);                        // {s: 1, x0: -1}
        }
    }
}

TEST_CASE("linear forms: a matmul output over the budget is a new atom with its per-term range",
          "[trace][linear_form][budget]") {
    LinearOptionsGuard guard;
    for (bool optimize : {false, true}) {
        INFO("optimize " << optimize);
        linear_options().optimize = optimize;
        new_trace();
        std::size_t n = linear_form_term_budget + 1;
        std::vector<FixedVariable> x;
        for (std::size_t j = 0; j < n; ++j) x.push_back(input(kif{1, 2, 0}));  // [-4, 3]
        DyadicMatrix w(n, 2);
        for (std::size_t j = 0; j < n; ++j) w(j, 0) = w(j, 1) = Dyadic{1, 0};
        w(0, 1) = Dyadic{};
        std::vector<FixedVariable> y = linear_forms(x, w);
        CHECK(to_string(y[0].range()) == to_string(ExactRange{-4 * i128(n), 3 * i128(n), 0}));
        CHECK(y[0].builder().linear_form(y[0].id()).size() == 1);      // its own atom
        CHECK(y[1].builder().linear_form(y[1].id()).size() == n - 1);  // within the budget
        FixedVariable d = y[0] - y[1];  // x0 exactly, but y0 is an atom: interval difference
        CHECK(to_string(d.range()) ==
              to_string(ExactRange{-4 * i128(n) - 3 * i128(n - 1), 3 * i128(n) + 4 * i128(n - 1), 0}));
    }
}

TEST_CASE("linear forms: average pooling after a linear convolution and a residual add are exact",
          "[trace][linear_form]") {
    LinearOptionsGuard guard;
    for (bool optimize : {false, true}) {
        INFO("optimize " << optimize);
        linear_options().optimize = optimize;
        new_trace();
        // Overlapping 2x2 windows share inputs: the pooled sum counts each input once.
        FixedVariableArray x = input({3, 3, 1}, kif{0, 1, 0});
        FixedVariableArray c = conv2d(x, constant(std::vector<double>{1, -2, 0.5, 1}, {2, 2, 1, 1}));
        FixedVariableArray p = avg_pool2d(c, {2, 2});
        // h + dense(h): the residual add sees h inside the dense outputs.
        FixedVariableArray r = reshape(x, {9});
        FixedVariableArray d = r + dense(r, constant(std::vector<double>(81, -0.5), {9, 9}));
        std::vector<FixedVariable> in, out{p.flat(0), d.flat(0), d.flat(8)};
        for (std::int64_t j = 0; j < 9; ++j) in.push_back(x.flat(j));
        CombLogic l = comb_trace(in, out);
        INFO(l.dump());
        CHECK(brute_force(l) == traced_extremes(l));  // every input value: 512 samples
    }
}

TEST_CASE("linear forms: bad node ids and malformed forms are Errors naming the problem",
          "[trace][linear_form][errors]") {
    using Catch::Matchers::Contains;
    new_trace();
    FixedVariable x = input(kif{1, 3, 0}), y = input(kif{1, 3, 0});
    FixedVariable s = x + y;
    ir::GraphBuilder& g = s.builder();
    REQUIRE_THROWS_WITH(g.linear_form(1000), Contains("linear_form") && Contains("%1000 does not exist"));
    std::vector<LinearTerm> unsorted{{1, 0, std::uint32_t(y.id())}, {1, 0, std::uint32_t(x.id())}};
    REQUIRE_THROWS_WITH(g.assume_linear_form(s.id(), unsorted),
                        Contains("assume_linear_form") && Contains("term 1") && Contains("increasing atom order"));
    std::vector<LinearTerm> zero{{0, 0, std::uint32_t(x.id())}};
    REQUIRE_THROWS_WITH(g.assume_linear_form(s.id(), zero), Contains("term 0 is not a nonzero term"));
    std::vector<LinearTerm> missing{{1, 0, 5000}};
    REQUIRE_THROWS_WITH(g.assume_linear_form(s.id(), missing), Contains("existing atom"));
}
