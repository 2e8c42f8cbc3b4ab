// quantize_mantissa and quantize_range against the independent reference, for every
// Round x Overflow combination: all mantissas of small source grids, and all small intervals.
#include <catch2/catch.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>

#include "reference.hpp"

using namespace fixvar;

namespace {

ref::Fmt R(const kif& q) { return {q.k, q.i, q.f}; }

const kif targets[] = {{1, 2, 1},  {0, 2, 1}, {1, 0, 2}, {1, -1, 3}, {0, -1, 2}, {1, 3, -1},
                       {0, 4, -2}, {1, 5, 3}, {0, 1, 0}, {1, 0, 0},  {0, 3, 4},  {1, -3, 5}};

}  // namespace

TEST_CASE("quantize_mantissa matches the reference for every mode", "[core][quantize]") {
    std::size_t checked = 0, bad = 0;
    std::string first;
    for (Round rnd : all_rounds)
        for (Overflow ovf : all_overflows)
            for (const kif& q : targets)
                for (int e = -7; e <= 3; ++e)
                    for (i128 m = -300; m <= 300; ++m) {
                        i128 got = quantize_mantissa(m, e, q, rnd, ovf);
                        ref::Val want = ref::quantize(ref::Val{m, e}, R(q), ref::Rnd(int(rnd)), ref::Ovf(int(ovf)));
                        ++checked;
                        if (!(ref::Val{got, -q.f} == want) && bad++ == 0)
                            first = fmt::format("m={} e={} {} {} {}: got {}, want {}", to_string(m), e, to_string(q),
                                                to_string(rnd), to_string(ovf), to_string(got), want.str());
                    }
    INFO(checked << " cases; first mismatch: " << first);
    CHECK(bad == 0);
}

TEST_CASE("rounding modes on exact ties (definitions)", "[core][quantize]") {
    // value -> step 1, signed 4-bit target (no overflow)
    kif q{1, 3, 0};
    auto qz = [&](double v, Round r) { return quantize_mantissa(i128(v * 4), -2, q, r, Overflow::WRAP); };
    // +2.5
    CHECK(qz(2.5, Round::TRN) == 2);
    CHECK(qz(2.5, Round::TRN_ZERO) == 2);
    CHECK(qz(2.5, Round::RND) == 3);
    CHECK(qz(2.5, Round::RND_ZERO) == 2);
    CHECK(qz(2.5, Round::RND_MIN_INF) == 2);
    CHECK(qz(2.5, Round::RND_INF) == 3);
    CHECK(qz(2.5, Round::RND_CONV) == 2);
    // -2.5
    CHECK(qz(-2.5, Round::TRN) == -3);
    CHECK(qz(-2.5, Round::TRN_ZERO) == -2);
    CHECK(qz(-2.5, Round::RND) == -2);
    CHECK(qz(-2.5, Round::RND_ZERO) == -2);
    CHECK(qz(-2.5, Round::RND_MIN_INF) == -3);
    CHECK(qz(-2.5, Round::RND_INF) == -3);
    CHECK(qz(-2.5, Round::RND_CONV) == -2);
    // -3.5 (to even is -4), -2.75 (not a tie)
    CHECK(qz(-3.5, Round::RND_CONV) == -4);
    CHECK(qz(-2.75, Round::TRN_ZERO) == -2);
    CHECK(qz(-2.75, Round::RND_ZERO) == -3);
}

TEST_CASE("overflow modes (definitions)", "[core][quantize]") {
    kif s{1, 2, 0};  // [-4, 3]
    kif u{0, 2, 0};  // [0, 3]
    auto qz = [](i128 v, const kif& q, Overflow o) { return quantize_mantissa(v, 0, q, Round::TRN, o); };
    CHECK(qz(5, s, Overflow::WRAP) == -3);
    CHECK(qz(-5, s, Overflow::WRAP) == 3);
    CHECK(qz(5, u, Overflow::WRAP) == 1);  // unsigned: modulo 2^(i+f)
    CHECK(qz(-1, u, Overflow::WRAP) == 3);
    CHECK(qz(9, s, Overflow::SAT) == 3);
    CHECK(qz(-9, s, Overflow::SAT) == -4);
    CHECK(qz(-9, u, Overflow::SAT) == 0);
    CHECK(qz(-9, s, Overflow::SAT_SYM) == -3);
    CHECK(qz(-4, s, Overflow::SAT_SYM) == -3);  // -2^i itself becomes -max
    CHECK(qz(-9, u, Overflow::SAT_SYM) == 0);
    CHECK(qz(9, s, Overflow::SAT_ZERO) == 0);
    CHECK(qz(-4, s, Overflow::SAT_ZERO) == -4);
    CHECK(qz(4, u, Overflow::SAT_ZERO) == 0);
    // huge inputs never overflow the arithmetic
    CHECK(qz(pow2(118), s, Overflow::SAT) == 3);
    CHECK(qz(-pow2(118), s, Overflow::WRAP) == 0);
    CHECK(quantize_mantissa(3, 200, s, Round::RND, Overflow::SAT) == 3);
    CHECK(quantize_mantissa(3, 200, s, Round::RND, Overflow::WRAP) == 0);
    CHECK(quantize_mantissa(-3, -200, s, Round::RND, Overflow::WRAP) == 0);
    CHECK(quantize_mantissa(-3, -200, s, Round::TRN, Overflow::WRAP) == -1);
}

TEST_CASE("quantize_range is sound and tight on every small interval", "[core][quantize][range]") {
    std::size_t ranges = 0, unsound = 0, loose = 0;
    std::string first_unsound, first_loose;
    for (Round rnd : all_rounds)
        for (Overflow ovf : all_overflows)
            for (const kif& q : targets)
                for (int e : {-4, -2, -1, 0, 1})
                    for (i128 lo = -14; lo <= 14; ++lo)
                        for (i128 hi = lo; hi <= 14; hi += 1 + (hi > lo + 3)) {
                            ExactRange in{lo, hi, e};
                            ExactRange out = quantize_range(in, q, rnd, ovf);
                            ++ranges;
                            std::vector<ref::Val> vals;
                            bool overflowed = false;
                            for (i128 m = lo; m <= hi; ++m) {
                                ref::Val x{m, e};
                                vals.push_back(ref::quantize(x, R(q), ref::Rnd(int(rnd)), ref::Ovf(int(ovf))));
                                ref::Val sat = ref::quantize(x, R(q), ref::Rnd(int(rnd)), ref::Ovf::SAT);
                                ref::Val big =
                                    ref::quantize(x, ref::Fmt{1, 40, q.f}, ref::Rnd(int(rnd)), ref::Ovf::SAT);
                                overflowed = overflowed || !(sat == big);
                            }
                            auto desc = [&] {
                                return fmt::format("{} -> {} {} {}: {}", to_string(in), to_string(q), to_string(rnd),
                                                   to_string(ovf), to_string(out));
                            };
                            ref::Val mn = vals[0], mx = vals[0];
                            for (auto& v : vals) {
                                mn = ref::vmin(mn, v);
                                mx = ref::vmax(mx, v);
                                bool inside = v.on_grid(out.exp) && out.lo <= v.at(out.exp) && v.at(out.exp) <= out.hi;
                                if (!inside && unsound++ == 0) first_unsound = desc();
                            }
                            // Tight unless WRAP/SAT_ZERO overflowed from a grid coarser than
                            // the target step (then the values are sparse in the target).
                            bool expect_tight =
                                e <= -q.f || !overflowed || ovf == Overflow::SAT || ovf == Overflow::SAT_SYM;
                            bool tight = mn == ref::Val{out.lo, out.exp} && mx == ref::Val{out.hi, out.exp};
                            if (expect_tight && !tight && loose++ == 0) first_loose = desc();
                        }
    INFO(ranges << " ranges; first unsound: " << first_unsound);
    CHECK(unsound == 0);
    INFO("first not tight: " << first_loose);
    CHECK(loose == 0);
}

TEST_CASE("quantize_is_identity: formats that fit cost nothing", "[core][quantize]") {
    ExactRange in{-8, 7, -2};  // kif{1,1,2}
    CHECK(quantize_is_identity(in, kif{1, 1, 2}, Round::TRN, Overflow::WRAP));
    CHECK(quantize_is_identity(in, kif{1, 3, 4}, Round::RND, Overflow::SAT));
    CHECK_FALSE(quantize_is_identity(in, kif{1, 1, 1}, Round::TRN, Overflow::WRAP));  // rounds
    CHECK_FALSE(quantize_is_identity(in, kif{0, 1, 2}, Round::TRN, Overflow::SAT));   // negative
    CHECK_FALSE(quantize_is_identity(in, kif{1, 0, 2}, Round::TRN, Overflow::SAT));   // too big
    // SAT_SYM moves -2^i, so the full signed format is not an identity for it
    CHECK_FALSE(quantize_is_identity(in, kif{1, 1, 2}, Round::TRN, Overflow::SAT_SYM));
    CHECK(quantize_is_identity(ExactRange{-7, 7, -2}, kif{1, 1, 2}, Round::TRN, Overflow::SAT_SYM));
    CHECK(quantize_is_identity(ExactRange{0, 0, 0}, kif{0, 1, 0}, Round::TRN, Overflow::WRAP));
    // a fitting quantize keeps the tight input range
    ExactRange narrow{-3, 5, -1};
    CHECK(quantize_range(narrow, kif{1, 4, 2}, Round::RND, Overflow::SAT) == narrow);
}
