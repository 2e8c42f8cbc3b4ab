// ExactRange primitives against brute force over every small interval pair: each rule's result
// holds every value of the op (soundness) and its bounds are attained (tightness).
#include <catch2/catch.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/core/range.hpp>

#include <functional>

#include "reference.hpp"

using namespace fixvar;
using Catch::Contains;

namespace {

using BinRule = std::function<ExactRange(const ExactRange&, const ExactRange&)>;
using BinRef = std::function<ref::Val(const ref::Val&, const ref::Val&)>;

std::vector<ExactRange> small_ranges() {
    std::vector<ExactRange> out;
    for (int e : {-2, 0, 1})
        for (i128 lo = -5; lo <= 5; lo += 2)
            for (i128 hi = lo; hi <= 6; hi += 3) out.push_back(ExactRange{lo, hi, e});
    out.push_back(ExactRange{0, 0, 0});
    out.push_back(ExactRange{3, 3, -3});
    return out;
}

// Checks a binary rule: all values inside, bounds attained, grid no coarser than the values.
void check_binary(const char* name, const BinRule& rule, const BinRef& op) {
    std::size_t bad = 0;
    std::string first;
    for (const ExactRange& a : small_ranges())
        for (const ExactRange& b : small_ranges()) {
            ExactRange r = rule(a, b);
            bool lo_hit = false, hi_hit = false, inside = true;
            for (i128 x = a.lo; x <= a.hi; ++x)
                for (i128 y = b.lo; y <= b.hi; ++y) {
                    ref::Val v = op(ref::Val{x, a.exp}, ref::Val{y, b.exp});
                    if (!v.on_grid(r.exp) || v.at(r.exp) < r.lo || v.at(r.exp) > r.hi) {
                        inside = false;
                        continue;
                    }
                    lo_hit = lo_hit || v.at(r.exp) == r.lo;
                    hi_hit = hi_hit || v.at(r.exp) == r.hi;
                }
            if (!(inside && lo_hit && hi_hit) && bad++ == 0)
                first = fmt::format("{}({}, {}) = {}: inside={} lo attained={} hi attained={}", name, to_string(a),
                                    to_string(b), to_string(r), inside, lo_hit, hi_hit);
        }
    INFO(first);
    CHECK(bad == 0);
}

void check_unary(const char* name, const std::function<ExactRange(const ExactRange&)>& rule,
                 const std::function<ref::Val(const ref::Val&)>& op) {
    check_binary(
        name, [&](const ExactRange& a, const ExactRange&) { return rule(a); },
        [&](const ref::Val& x, const ref::Val&) { return op(x); });
}

}  // namespace

TEST_CASE("interval rules are sound and tight", "[core][range]") {
    check_binary(
        "add", [](auto& a, auto& b) { return range_add(a, b, false); }, [](auto x, auto y) { return x + y; });
    check_binary(
        "sub", [](auto& a, auto& b) { return range_add(a, b, true); }, [](auto x, auto y) { return x - y; });
    check_binary(
        "mul", [](auto& a, auto& b) { return range_mul(a, b); }, [](auto x, auto y) { return x * y; });
    check_binary(
        "max", [](auto& a, auto& b) { return range_max(a, b); }, [](auto x, auto y) { return ref::vmax(x, y); });
    check_binary(
        "min", [](auto& a, auto& b) { return range_min(a, b); }, [](auto x, auto y) { return ref::vmin(x, y); });
    check_unary(
        "neg", [](auto& a) { return range_neg(a); }, [](auto x) { return -x; });
    check_unary(
        "abs", [](auto& a) { return range_abs(a); }, [](auto x) { return ref::vabs(x); });
    check_unary(
        "relu", [](auto& a) { return range_relu(a); }, [](auto x) { return ref::relu(x); });
    for (int s = -3; s <= 3; ++s)
        check_unary(
            "shift", [s](auto& a) { return range_shift(a, s); }, [s](auto x) { return ref::shifted(x, s); });
}

TEST_CASE("hull holds both operands", "[core][range]") {
    for (const ExactRange& a : small_ranges())
        for (const ExactRange& b : small_ranges()) {
            ExactRange h = range_hull(a, b);
            CHECK(h.contains(a));
            CHECK(h.contains(b));
        }
}

TEST_CASE("minimal kif", "[core][range]") {
    CHECK(ExactRange{-24, -24, 0}.minimal_kif().width() == 6);
    CHECK(ExactRange::constant(-24, 0) == ExactRange{-3, -3, 3});
    CHECK(ExactRange::constant(-24, 0).minimal_kif() == kif{1, 5, -3});  // DESIGN's example
    CHECK(ExactRange{0, 0, 0}.minimal_kif() == kif{0, 0, 0});
    CHECK(ExactRange{0, 15, -2}.minimal_kif() == kif{0, 2, 2});
    CHECK(ExactRange{-16, 15, -2}.minimal_kif() == kif{1, 2, 2});
    CHECK(ExactRange{-17, 15, -2}.minimal_kif() == kif{1, 3, 2});
    CHECK(ExactRange{-1, 0, 4}.minimal_kif() == kif{1, 4, -4});  // [-16, 0], 1 bit
    // exhaustive: the minimal kif holds the range and one bit less does not
    for (int e : {-3, 0, 2})
        for (i128 lo = -40; lo <= 40; ++lo)
            for (i128 hi = lo; hi <= 40; hi += 7) {
                ExactRange r{lo, hi, e};
                if (lo == 0 && hi == 0) continue;
                kif q = r.minimal_kif();
                CHECK(q.f == -e);
                CHECK(q.k == (lo < 0 ? 1 : 0));
                ref::Fmt f{q.k, q.i, q.f};
                CHECK((f.lo() <= lo && hi <= f.hi()));
                ref::Fmt smaller{q.k, q.i - 1, q.f};
                if (smaller.width() >= 1) CHECK_FALSE((smaller.lo() <= lo && hi <= smaller.hi()));
            }
}

TEST_CASE("contains and at_exp", "[core][range]") {
    ExactRange r{-8, 7, -1};
    CHECK(r.contains(ExactRange{-4, 3, 0}));
    CHECK_FALSE(r.contains(ExactRange{-4, 4, 0}));
    // a non-constant range on a finer grid is never known to lie on r's grid
    CHECK_FALSE(r.contains(ExactRange{-16, 14, -2}));
    CHECK(r.contains(ExactRange{3, 3, -1}));
    CHECK(r.contains(ExactRange{6, 6, -2}));        // constant 1.5 on the grid
    CHECK_FALSE(r.contains(ExactRange{5, 5, -2}));  // 1.25 is off the grid
    CHECK(r.contains(ExactRange{0, 0, 0}));
    CHECK(r.at_exp(-3) == ExactRange{-32, 28, -3});
}

TEST_CASE("too wide ranges are an Error, never UB", "[core][range][errors]") {
    ExactRange wide = ExactRange::of(kif{1, 100, 19});
    REQUIRE_NOTHROW(wide.check("add"));
    REQUIRE_THROWS_WITH(range_add(wide, wide, false).check("add"),
                        Contains("add") && Contains("121 bits") && Contains("at most 120"));
    REQUIRE_THROWS_AS(range_mul(wide, wide), Error);
    REQUIRE_THROWS_WITH(range_mul(wide, wide), Contains("127-bit"));
    REQUIRE_THROWS_WITH(ExactRange::constant(1, 5000), Contains("exponent"));
    ExactRange one{1, 1, 0};
    REQUIRE_THROWS_AS(one.at_exp(-200), Error);
}
