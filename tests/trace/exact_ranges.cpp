// Ranges stay exact through constant products, with and without the CMVM optimizer: every
// output of a linear layer has exactly the range computed here independently (the sum of the
// per-term extremes, on the finest term grid, in the reference's own arithmetic), and a traced
// model round-trips through its text form (CombLogic::parse(l.dump()) == l).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include <fixvar/fixvar.hpp>

#include "core/reference.hpp"

using namespace fixvar;

namespace {

// Restores linear_options() after a test changes it.
struct LinearOptionsGuard {
    LinearOptions saved = linear_options();
    ~LinearOptionsGuard() { linear_options() = saved; }
};

// Exact range of sum_r w[r] * x[r] over independent x[r] in their ranges, from the definition.
ExactRange reference_range(const std::vector<ExactRange>& in, const std::vector<Dyadic>& w) {
    ref::Val lo{0, 0}, hi{0, 0};
    int grid = INT32_MAX;
    for (std::size_t r = 0; r < in.size(); ++r) {
        if (w[r].is_zero()) continue;
        ref::Val c{w[r].mant, w[r].exp};
        ref::Val a = c * ref::Val{in[r].lo, in[r].exp}, b = c * ref::Val{in[r].hi, in[r].exp};
        lo = lo + ref::vmin(a, b);
        hi = hi + ref::vmax(a, b);
        if (in[r].lo != in[r].hi)
            grid = std::min(grid, c.norm().e + in[r].exp);
        else if (a.m != 0)
            grid = std::min(grid, a.norm().e);  // a constant term
    }
    if (lo == hi) {
        ref::Val v = lo.norm();
        return ExactRange{v.m, v.m, v.m == 0 ? 0 : v.e};
    }
    return ExactRange{lo.at(grid), hi.at(grid), grid};
}

kif random_format(std::mt19937_64& rng) {
    auto pick = [&](int lo, int hi) { return lo + int(rng() % std::uint64_t(hi - lo + 1)); };
    kif q{pick(0, 1), pick(-3, 6), pick(-3, 6)};
    while (q.width() < 1) q.i += 1;
    while (q.width() > 10) q.f -= 1;
    return q;
}

// A random dyadic weight: zero in a third of the cases, else a small odd-or-even mantissa at a
// random exponent.
Dyadic random_weight(std::mt19937_64& rng) {
    if (rng() % 3 == 0) return Dyadic{};
    auto m = i128(int(rng() % 31) - 15);
    return Dyadic::make(m, int(rng() % 7) - 4);
}

struct Layer {
    std::vector<ExactRange> in;  // the layer inputs' ranges as traced
    bool independent = true;     // inputs are distinct atoms (see below)
    DyadicMatrix w;
    std::size_t first_output = 0;  // index of its first column among the logic's outputs
};

// Layer inputs are independent when each is a free shift/negation of a distinct node that is no
// sum (an input, a quantizer, a constant): their ranges are then the only facts known about
// them. Sums of shared terms are correlated, and the builder may know a tighter exact range.
bool independent(const std::vector<FixedVariable>& x) {
    std::vector<ir::NodeId> atoms;
    for (const FixedVariable& v : x) {
        const ir::GraphBuilder& g = v.builder();
        ir::NodeId id = v.id();
        while (g[id].op == ir::Op::Shift || g[id].op == ir::Op::Neg) id = g[id].a;
        if (g[id].op == ir::Op::Add) return false;
        if (g[id].op == ir::Op::Const) continue;
        if (std::find(atoms.begin(), atoms.end(), id) != atoms.end()) return false;
        atoms.push_back(id);
    }
    return true;
}

// A random model: inputs of mixed formats, 1-3 linear layers, optionally quantized ReLU
// between them; every layer's outputs are outputs of the returned circuit.
CombLogic random_model(std::uint64_t seed, std::vector<Layer>& layers) {
    std::mt19937_64 rng(seed);
    new_trace();
    std::vector<FixedVariable> inputs, x;
    int n = 1 + int(rng() % 6);
    for (int r = 0; r < n; ++r) inputs.push_back(input(random_format(rng)));
    x = inputs;
    std::vector<FixedVariable> outputs;
    int depth = 1 + int(rng() % 3);
    for (int l = 0; l < depth; ++l) {
        Layer layer;
        std::size_t m = 1 + rng() % 8;
        layer.w = DyadicMatrix(x.size(), m);
        for (Dyadic& d : layer.w.data) d = random_weight(rng);
        for (const FixedVariable& v : x) layer.in.push_back(v.range());
        layer.independent = independent(x);
        std::vector<FixedVariable> y = linear_forms(x, layer.w);
        layer.first_output = outputs.size();
        outputs.insert(outputs.end(), y.begin(), y.end());
        layers.push_back(std::move(layer));
        x.clear();
        for (const FixedVariable& v : y) {
            if (rng() % 2)
                x.push_back(v);
            else
                x.push_back(quantize(relu(v), random_format(rng), Round::RND, Overflow::SAT));
        }
    }
    return comb_trace(inputs, outputs);
}

}  // namespace

TEST_CASE("the issue's example: a CMVM layer's output range is exact and round-trips", "[trace][exact]") {
    LinearOptionsGuard guard;
    for (bool optimize : {false, true}) {
        INFO("optimize " << optimize);
        linear_options().optimize = optimize;
        new_trace();
        FixedVariableArray x = input({2}, FormatArray({kif{0, 0, 1}, kif{0, 2, 3}}));
        FixedVariableArray y = dense(x, constant({-2.0, -0.75}, {2, 1}));
        CombLogic l = comb_trace({x}, {y});
        INFO(l.dump());
        CHECK(to_string(l.output_range(0)) == to_string(ExactRange{-125, 0, -5}));
        CHECK(to_string(l.output_range(0).minimal_kif()) == to_string(kif{1, 2, 5}));
        CHECK(CombLogic::parse(l.dump()) == l);
    }
}

TEST_CASE("a constant times a difference has the exact range of the scaled difference", "[trace][exact]") {
    // 0.875 * d is built as d - (d >> 3); the negated difference is re-expressed as a
    // subtraction, which must stay known as a multiple of d.
    new_trace();
    FixedVariable x = input(kif{0, 3, 0}), y = input(kif{0, 2, 1});
    FixedVariable d = x - y;  // [-3.5, 7] at step 0.5
    FixedVariable z = d * 0.875;
    CHECK(to_string(z.range()) == to_string(ExactRange{-49, 98, -4}));
    CombLogic l = comb_trace({x, y}, {z});
    CHECK(CombLogic::parse(l.dump()) == l);
}

TEST_CASE("random traced models: exact output ranges and text round-trip, with and without CMVM",
          "[trace][exact][random]") {
    LinearOptionsGuard guard;
    for (bool optimize : {false, true}) {
        linear_options().optimize = optimize;
        linear_options().cmvm.threads = 1;
        int exact_checks = 0;
        for (std::uint64_t seed = 1; seed <= 150; ++seed) {
            INFO("optimize " << optimize << ", seed " << seed);
            std::vector<Layer> layers;
            CombLogic l = random_model(seed, layers);
            INFO(l.dump());
            for (const Layer& layer : layers)
                for (std::size_t c = 0; c < layer.w.cols; ++c) {
                    std::vector<Dyadic> column;
                    for (std::size_t r = 0; r < layer.w.rows; ++r) column.push_back(layer.w(r, c));
                    INFO("output " << layer.first_output + c);
                    const ExactRange& got = l.output_range(layer.first_output + c);
                    ExactRange want = reference_range(layer.in, column);
                    if (layer.independent) {
                        CHECK(to_string(got) == to_string(want));
                        ++exact_checks;
                    } else {
                        INFO(to_string(got) << " within " << to_string(want));
                        CHECK(want.contains(got));  // never looser than the independent bound
                    }
                }
            CombLogic back = CombLogic::parse(l.dump());
            CHECK(back == l);
            CHECK(back.dump() == l.dump());
        }
        CHECK(exact_checks > 500);
    }
}
