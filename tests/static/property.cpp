// Property test: random small networks (per-element input quantizers -> dense + bias -> relu ->
// quantize -> dense -> sum; sums over matmul outputs, residual adds; a max/min clamp as the
// non-linearity -> matmul -> sum) written with static types
// on a tracked input (static_input: sums narrowed by linear forms, as in the tracer). For every
// seed (printed), every element's static format equals the tracer's exact one, and both are the
// brute-force exact range over all inputs where the tracer's atoms are independent (linear
// layers, sums and residual adds over the independently quantized inputs); after a non-linear
// op the atoms (relu outputs of shared inputs) are dependent, and there the brute-force range
// must lie inside both.
#include "agree.hpp"

#include <cmath>

using namespace agree;

namespace {

constexpr std::uint64_t next(std::uint64_t& s) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return s >> 33;
}

// Mantissas -7..7 over 1, 2 or 4, ~30% zeros.
template <std::size_t... D>
constexpr weights<D...> random_weights(std::uint64_t seed) {
    weights<D...> w{};
    for (weight& v : w.values) {
        std::uint64_t b = next(seed);
        v = b % 10 < 3 ? weight(0) : weight::of_ratio(i128(b / 10 % 15) - 7, i128(1) << (b / 150 % 3));
    }
    return w;
}

// k in {0, 1}, i in {0, 1}, f in {1, 2}: a different quantizer per input.
template <std::size_t N>
constexpr formats<N> random_formats(std::uint64_t seed) {
    formats<N> q{};
    for (kif& x : q.values) {
        std::uint64_t b = next(seed);
        x = kif{int(b % 2), int(b / 2 % 2), 1 + int(b / 4 % 2)};
    }
    return q;
}

// The parameters of network `Seed` (variable templates: usable as template arguments by reference).
template <std::uint64_t Seed>
inline constexpr formats<4> Q = random_formats<4>(Seed);
template <std::uint64_t Seed>
inline constexpr weights<4, 5> W1 = random_weights<4, 5>(Seed + 1);
template <std::uint64_t Seed>
inline constexpr weights<5> B1 = random_weights<5>(Seed + 2);
template <std::uint64_t Seed>
inline constexpr weights<5, 3> W2 = random_weights<5, 3>(Seed + 3);
template <std::uint64_t Seed>
inline constexpr weights<4, 4> W3 = random_weights<4, 4>(Seed + 4);
template <std::uint64_t Seed>
inline constexpr weights<5, 5> W4 = random_weights<5, 5>(Seed + 5);
template <std::uint64_t Seed>
inline constexpr weights<4, 3> W5 = random_weights<4, 3>(Seed + 6);

// Brute-force range of output column c over every input: lies inside r; equal when `exact`.
void check_brute(const std::vector<std::vector<double>>& out, std::size_t c, const ExactRange& r, bool exact,
                 const std::string& what) {
    double lo = out[0][c], hi = lo;
    bool on_grid = true;
    for (const auto& row : out) {
        lo = std::min(lo, row[c]);
        hi = std::max(hi, row[c]);
        double m = std::ldexp(row[c], -r.exp);
        on_grid = on_grid && m == std::floor(m);
    }
    double rlo = std::ldexp(double(r.lo), r.exp), rhi = std::ldexp(double(r.hi), r.exp);
    INFO(what << " output " << c << ": brute force [" << lo << ", " << hi << "], range " << to_string(r));
    CHECK(on_grid);
    CHECK(rlo <= lo);
    CHECK(hi <= rhi);
    if (exact) {
        CHECK(rlo == lo);
        CHECK(rhi == hi);
    }
}

// Each output element of `a` (its static range) against the brute force, from column `col` on.
template <StaticArray A>
void check_brute_all(const std::vector<std::vector<double>>& out, std::size_t& col, const A& /*a*/, bool exact,
                     const std::string& what) {
    for (std::size_t c = 0; c < A::size; ++c) check_brute(out, col++, rules::to_exact(format_t<A>::at(c)), exact, what);
}

template <std::uint64_t Seed>
void check_network() {
    // Initialized before the compiler reads them inside another constant evaluation (g++ 12
    // otherwise takes their lazy initialization for a modification).
    static_assert(W1<Seed>.first_rejected() == 20 && B1<Seed>.first_rejected() == 5 &&
                  W2<Seed>.first_rejected() == 15 && Q<Seed>.first_invalid() == 4 && W3<Seed>.first_rejected() == 16 &&
                  W4<Seed>.first_rejected() == 25 && W5<Seed>.first_rejected() == 12);
    const std::string what = "seed " + std::to_string(Seed);
    INFO(what);
    new_trace();
    auto x = static_input<fx<1, 1, 1>, 4>();  // 8 values each: 4,096 inputs in all
    auto q = quantize<Q<Seed>, Round::RND, Overflow::SAT>(x);
    auto y1 = dense<W1<Seed>, B1<Seed>>(q);
    auto h = quantize<fx<0, 2, 1>, Round::RND, Overflow::SAT>(relu(y1));
    auto y2 = matmul<W2<Seed>>(h);
    auto s = sum(h);
    // Sums over matmul outputs and residual adds: over q (independent atoms) and over h.
    auto zq = matmul<W5<Seed>>(q);
    auto szq = sum(zq);
    auto rq = q + dense<W3<Seed>>(q);
    auto s2 = sum(y2);
    auto rh = h + dense<W4<Seed>>(h);
    auto srh = sum(rh) - sum(h);
    check_agrees(q, what + " quantize");
    check_agrees(y1, what + " dense");
    check_agrees(h, what + " relu + quantize");
    check_agrees(y2, what + " matmul");
    check_agrees(s, what + " sum");
    check_agrees(zq, what + " matmul over q");
    check_agrees(szq, what + " sum of matmul over q");
    check_agrees(rq, what + " residual over q");
    check_agrees(s2, what + " sum of matmul over h");
    check_agrees(rh, what + " residual over h");
    check_agrees(srh, what + " sum(residual) - sum(h)");
    // max/min as the non-linearity (a clamp): new atoms, then matmul and sums over them.
    auto hm = min(max(y1, fixed_c<"-0.5">), fixed_c<2>);
    auto zm = matmul<W2<Seed>>(hm);
    auto szm = sum(zm);
    auto rm = sum(hm + dense<W4<Seed>>(hm)) - sum(hm);
    check_agrees(hm, what + " clamp by max/min");
    check_agrees(zm, what + " matmul over the clamp");
    check_agrees(szm, what + " sum of matmul over the clamp");
    check_agrees(rm, what + " sum(residual) - sum over the clamp");

    CombLogic logic =
        comb_trace({x.array()}, {y1.array(), y2.array(), s.array(), zq.array(), szq.array(), rq.array(), s2.array(),
                                 rh.array(), srh.array(), hm.array(), zm.array(), szm.array(), rm.array()});
    std::vector<std::vector<double>> inputs;
    for (int code = 0; code < 4096; ++code) {
        std::vector<double> v;
        for (int j = 0; j < 4; ++j) v.push_back(std::ldexp(((code >> (3 * j)) & 7) - 4, -1));
        inputs.push_back(v);
    }
    auto out = logic.predict(inputs);
    std::size_t col = 0;
    check_brute_all(out, col, y1, true, what + " dense");
    check_brute_all(out, col, y2, false, what + " matmul");
    check_brute_all(out, col, s, false, what + " sum");
    check_brute_all(out, col, zq, true, what + " matmul over q");
    check_brute_all(out, col, szq, true, what + " sum of matmul over q");
    check_brute_all(out, col, rq, true, what + " residual over q");
    check_brute_all(out, col, s2, false, what + " sum of matmul over h");
    check_brute_all(out, col, rh, false, what + " residual over h");
    check_brute_all(out, col, srh, false, what + " sum(residual) - sum(h)");
    check_brute_all(out, col, hm, false, what + " clamp by max/min");
    check_brute_all(out, col, zm, false, what + " matmul over the clamp");
    check_brute_all(out, col, szm, false, what + " sum of matmul over the clamp");
    check_brute_all(out, col, rm, false, what + " sum(residual) - sum over the clamp");
}

}  // namespace

TEST_CASE(
    "static: random networks, per element, with sums over shared atoms: static == tracer == brute "
    "force (seeds printed)") {
    check_network<11>();
    check_network<2026>();
    check_network<31337>();
    check_network<424242>();
    check_network<7>();
    check_network<99991>();
}
