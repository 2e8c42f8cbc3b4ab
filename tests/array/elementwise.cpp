// Elementwise expressions: broadcasting, fusion (no intermediate nodes), quantize formats.
#include "helpers.hpp"

using namespace fixvar;
using namespace array_test;

namespace {
// Random shape b broadcast-compatible with a (size-1 axes, missing leading axes).
Shape compatible_shape(const Shape& a, std::mt19937& rng) {
    std::uniform_int_distribution<int> coin(0, 2);
    Shape b;
    std::size_t drop = a.empty() ? 0 : std::size_t(coin(rng)) % (a.size() + 1);
    for (std::size_t d = drop; d < a.size(); ++d) b.push_back(coin(rng) == 0 ? 1 : a[d]);
    return b;
}
}  // namespace

TEST_CASE("elementwise expressions with broadcasting match the reference", "[array][elementwise]") {
    for (unsigned seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        new_trace();
        Shape sa = random_shape(rng), sb = compatible_shape(sa, rng);
        if (seed % 2) std::swap(sa, sb);
        CAPTURE(to_string(sa), to_string(sb));
        FixedVariableArray a = input(sa, kif{1, 3, 1});
        FixedVariableArray b = input(sb, kif{1, 2, 2});
        FixedVariableArray y =
            relu(a * 3 - b) + (a >> 1) - maximum(a, b) * minimum(b, 0.5) + where(a > b, abs(-a), b << 1);
        Shape out = sa.size() >= sb.size() ? sa : sb;
        for (std::size_t d = 0; d < out.size(); ++d) {
            std::size_t da = d + sa.size() - out.size(), db = d + sb.size() - out.size();
            std::int64_t x = d + sa.size() >= out.size() ? sa[da] : 1;
            std::int64_t z = d + sb.size() >= out.size() ? sb[db] : 1;
            out[d] = std::max(x, z);
        }
        REQUIRE(y.shape() == out);
        check_circuit(
            {a, b}, y,
            [&](const std::vector<Values>& in) {
                Values r;
                each_index(out, [&](const auto& idx) {
                    double x = bread(in[0], sa, out, idx), z = bread(in[1], sb, out, idx);
                    r.push_back(std::max(x * 3 - z, 0.0) + x / 2 - std::max(x, z) * std::min(z, 0.5) +
                                (x > z ? std::abs(x) : z * 2));
                });
                return r;
            },
            rng);
    }
}

TEST_CASE("broadcasting edge cases", "[array][elementwise]") {
    new_trace();
    std::mt19937 rng(7);
    FixedVariableArray a = input({5, 1, 3}, kif{1, 3, 0});
    FixedVariableArray b = input({4, 1}, kif{0, 3, 0});
    FixedVariableArray s0 = FixedVariableArray(input(kif{1, 2, 0}));  // 0-d
    FixedVariable x = input(kif{1, 2, 0});
    FixedVariableArray y = a + b;
    CHECK(y.shape() == Shape{5, 4, 3});
    CHECK(FixedVariableArray(a * s0).shape() == Shape{5, 1, 3});
    CHECK(FixedVariableArray(x - b).shape() == Shape{4, 1});
    CHECK(FixedVariableArray(2 * s0).shape() == Shape{});
    FixedVariableArray one = input({1}, kif{1, 2, 0});
    CHECK(FixedVariableArray(one + a).shape() == Shape{5, 1, 3});
    FixedVariableArray z = (a + b) * one - s0;
    check_circuit(
        {a, b, one, s0}, z,
        [&](const std::vector<Values>& in) {
            Values r;
            Shape out{5, 4, 3};
            each_index(out, [&](const auto& idx) {
                r.push_back((bread(in[0], {5, 1, 3}, out, idx) + bread(in[1], {4, 1}, out, idx)) * in[2][0] - in[3][0]);
            });
            return r;
        },
        rng);
    // Empty axes broadcast to empty results.
    FixedVariableArray e = input({0, 3}, kif{1, 2, 0});
    CHECK(FixedVariableArray(e + a[0]).shape() == Shape{0, 3});
}

TEST_CASE("expressions are lazy and fused: no node until materialized", "[array][elementwise]") {
    const TraceContext& ctx = new_trace();
    FixedVariableArray a = input({8}, kif{1, 4, 0});
    FixedVariableArray b = input({8}, kif{1, 4, 0});
    (void)constant(3.0);  // the literal's constant node (hash-consed) exists beforehand
    std::size_t before = ctx->graph().size();
    auto e = relu((a + b) * 3 - a);  // only records operands
    CHECK(ctx->graph().size() == before);
    CHECK(e.shape() == Shape{8});
    FixedVariableArray y = e;
    std::size_t fused = ctx->graph().size() - before;
    CHECK(fused > 0);
    // Rvalue operands are owned by the expression (no dangling temporaries).
    auto f = relu(FixedVariableArray(a + b)) + 1;
    FixedVariableArray z = f;
    CHECK(z.shape() == Shape{8});
}

TEST_CASE("quantize with one format and with per-element formats", "[array][elementwise]") {
    new_trace();
    std::mt19937 rng(11);
    FixedVariableArray a = input({3, 4}, kif{1, 4, 3});
    std::vector<kif> fs = {kif{1, 2, 1}, kif{0, 3, 0}, kif{1, 1, 2}, kif{1, 4, -1}};
    FixedVariableArray q = quantize(a * 2, FormatArray(fs), Round::TRN, Overflow::SAT);
    REQUIRE(q.shape() == Shape{3, 4});
    for (int c = 0; c < 4; ++c) CHECK(q(0, c).kif().f <= fs[std::size_t(c)].f);
    check_circuit(
        {a}, q,
        [&](const std::vector<Values>& in) {
            Values r;
            for (int j = 0; j < 12; ++j) {
                const kif& f = fs[std::size_t(j % 4)];
                double v = std::floor(in[0][std::size_t(j)] * 2 * std::ldexp(1, f.f)) * std::ldexp(1, -f.f);
                double lo = f.k ? -std::ldexp(1, f.i) : 0.0;
                double hi = std::ldexp(1, f.i) - std::ldexp(1, -f.f);
                r.push_back(std::clamp(v, lo, hi));
            }
            return r;
        },
        rng);
    // Per-element input formats broadcast along rows; one shared format.
    FixedVariableArray h = input({2, 4}, FormatArray(fs, {1, 4}));
    for (int c = 0; c < 4; ++c) CHECK(h(1, c).kif() == fs[std::size_t(c)]);
    FixedVariableArray u = quantize(h, kif{1, 1, 0}, Round::RND, Overflow::WRAP);
    CHECK(u.shape() == Shape{2, 4});
}

TEST_CASE("unformatted inputs take their format from the first quantize", "[array][elementwise]") {
    new_trace();
    FixedVariableArray a = input({2, 3});
    FixedVariableArray q = quantize(a, kif{1, 3, 2});
    CHECK(q(1, 2).kif() == kif{1, 3, 2});
    CombLogic l = comb_trace({a}, {q * 2});
    CHECK(l.input_format(5) == kif{1, 3, 2});
    FixedVariableArray b = input({2});
    auto msg = error_of([&] { FixedVariableArray y = b + 1; });
    CHECK_THAT(msg, Catch::Contains("no format yet") && Catch::Contains("quantize"));
}

TEST_CASE("apply builds one table per input range and matches fn", "[array][elementwise]") {
    new_trace();
    std::mt19937 rng(5);
    FixedVariableArray a = input({6}, kif{1, 2, 2});
    auto fn = [](double v) { return v * v / 2; };
    FixedVariableArray y = apply(a, fn, kif{0, 3, 3}, Round::TRN, Overflow::SAT);
    CombLogic l = comb_trace({a}, {y});
    CHECK(l.graph().tables().size() >= 1);
    check_circuit(
        {a}, y,
        [&](const std::vector<Values>& in) {
            Values r;
            for (double v : in[0]) r.push_back(std::min(std::floor(fn(v) * 8) / 8, 8 - 0.125));
            return r;
        },
        rng);
}

TEST_CASE("comparisons, msb and sign_bit give 1-bit arrays", "[array][elementwise]") {
    new_trace();
    std::mt19937 rng(3);
    FixedVariableArray a = input({4}, kif{1, 3, 0});
    FixedVariableArray b = input({4}, kif{1, 3, 0});
    FixedVariableArray y = (a < b) + (a <= b) * 2 + (a == b) * 4 + (a != b) * 8 + (a >= b) * 16 + sign_bit(a) * 32;
    check_circuit(
        {a, b}, y,
        [&](const std::vector<Values>& in) {
            Values r;
            for (std::size_t j = 0; j < 4; ++j) {
                double x = in[0][j], z = in[1][j];
                r.push_back((x < z) + (x <= z) * 2 + (x == z) * 4 + (x != z) * 8 + (x >= z) * 16 + (x < 0) * 32);
            }
            return r;
        },
        rng, 16);
}
