// Every kind of bad input is a fixvar::Error whose message names the op, what was given and
// what to change.
#include <catch2/catch.hpp>

#include <fixvar/fixvar.hpp>

#include <cmath>

using namespace fixvar;
using Catch::Contains;

TEST_CASE("invalid formats", "[trace][errors]") {
    new_trace();
    REQUIRE_THROWS_WITH(input(kif{1, -1, 0}), Contains("input") && Contains("at least 1 bit"));
    REQUIRE_THROWS_WITH(input(kif{0, 0, 0}), Contains("kif{0,0,0}"));
    REQUIRE_THROWS_WITH(input(kif{1, 110, 20}), Contains("131 bits") && Contains("at most 120"));
    REQUIRE_THROWS_WITH(input(kif{2, 3, 0}), Contains("k (keep_negative) must be 0 or 1"));
    FixedVariable x = input(kif{1, 3, 2});
    REQUIRE_THROWS_WITH(quantize(x, kif{0, -2, 1}), Contains("quantize") && Contains("width"));
    REQUIRE_THROWS_WITH(apply(
                            x, [](double v) { return v; }, kif{2, 1, 1}),
                        Contains("apply"));
}

TEST_CASE("NaN and infinite constants", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2});
    REQUIRE_THROWS_WITH(FixedVariable(std::nan("")), Contains("not a finite number"));
    REQUIRE_THROWS_WITH(x * INFINITY, Contains("inf") && Contains("finite"));
    REQUIRE_THROWS_WITH(x + (-INFINITY), Contains("finite"));
    REQUIRE_THROWS_WITH(apply(
                            x, [](double v) { return 1 / (v - v); }, kif{1, 3, 0}),
                        Contains("apply: fn result") && Contains("finite"));
}

TEST_CASE("predict with values the port cannot represent", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2}), y = input(kif{0, 4, 0});
    CombLogic logic = comb_trace({x, y}, {x + y});
    REQUIRE_NOTHROW(logic.predict({{-8, 15}, {7.75, 0}}));
    // off the grid
    REQUIRE_THROWS_WITH(logic.predict({{1.125, 0}}),
                        Contains("predict") && Contains("input port 0") && Contains("1.125") && Contains("kif{1,3,2}"));
    // out of range
    REQUIRE_THROWS_WITH(logic.predict({{0, 16}}), Contains("input port 1") && Contains("16") && Contains("kif{0,4,0}"));
    REQUIRE_THROWS_WITH(logic.predict({{0, 0}, {0, -1}}),
                        Contains("sample 1") && Contains("input port 1") && Contains("-1"));
    REQUIRE_THROWS_WITH(logic.predict({{std::nan(""), 0}}), Contains("finite"));
    // wrong sample length
    REQUIRE_THROWS_WITH(logic.predict({{1.0}}), Contains("sample 0 has 1 values") && Contains("2 inputs"));
    REQUIRE_THROWS_WITH(logic.predict({{1, 2, 3}}), Contains("3 values"));
    // raw mantissas: count and range
    std::vector<i128> few = {1, 2, 3};
    REQUIRE_THROWS_WITH(logic.predict_mantissas(few, 2), Contains("expected 4 input mantissas"));
    std::vector<i128> outside = {32, 0};
    REQUIRE_THROWS_WITH(logic.predict_mantissas(outside, 1),
                        Contains("input 0") && Contains("mantissa 32") && Contains("outside"));
}

TEST_CASE("mixing traces", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2});
    new_trace();
    FixedVariable y = input(kif{1, 3, 2});
    REQUIRE_THROWS_WITH(x + y, Contains("+") && Contains("different traces"));
    REQUIRE_THROWS_WITH(x * y, Contains("different traces"));
    REQUIRE_THROWS_WITH(max(x, y), Contains("max") && Contains("different traces"));
    REQUIRE_THROWS_WITH(x < y, Contains("different traces"));
    REQUIRE_THROWS_WITH(comb_trace({x, y}, {x}),
                        Contains("comb_trace") && Contains("input 1") && Contains("different trace"));
    REQUIRE_THROWS_WITH(comb_trace({x}, {y}), Contains("output 0") && Contains("different trace"));
    // constants adopt the other operand's trace
    REQUIRE_NOTHROW(x + 1.5);
    FixedVariable c = 2.0;  // made in the current (y's) trace
    REQUIRE_NOTHROW(comb_trace({x}, {x * c}));
}

TEST_CASE("comb_trace with a non-input as input", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2}), y = input(kif{1, 3, 2});
    REQUIRE_THROWS_WITH(comb_trace({x + 1}, {x}),
                        Contains("comb_trace") && Contains("input 0 is not an input variable"));
    REQUIRE_THROWS_WITH(comb_trace({x, x}, {x}), Contains("input 1 is the same variable as input 0"));
    REQUIRE_THROWS_WITH(comb_trace({x}, {x + y}), Contains("depends on an input variable that is not among"));
    REQUIRE_THROWS_WITH(comb_trace(std::vector<FixedVariable>{}, std::vector<FixedVariable>{}),
                        Contains("no inputs and no outputs"));
}

TEST_CASE("unformatted inputs must be quantized before use", "[trace][errors]") {
    new_trace();
    FixedVariable x = input();
    REQUIRE_THROWS_WITH(x + 1, Contains("add") && Contains("has no format yet") && Contains("quantize it first"));
    REQUIRE_THROWS_WITH(relu(x), Contains("relu") && Contains("no format"));
    REQUIRE_THROWS_WITH(x * 3, Contains("no format"));
    REQUIRE_THROWS_WITH(x < 0, Contains("no format"));
    REQUIRE_THROWS_WITH(comb_trace({x}, {x}), Contains("input 0 never received a format"));
    // the first quantize defines the port format, for free
    FixedVariable q = quantize(x, kif{1, 2, 1}, Round::RND, Overflow::SAT);
    CHECK(q.id() == x.id());
    CHECK(q.kif() == kif{1, 2, 1});
    CombLogic logic = comb_trace({x}, {q + 1});
    CHECK(logic.predict({{-4}})[0][0] == -3);
    REQUIRE_THROWS_WITH(logic.predict({{-4.25}}), Contains("kif{1,2,1}"));
}

TEST_CASE("apply on a too-wide input", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 8, 8});  // 17 bits
    REQUIRE_THROWS_WITH(apply(
                            x, [](double v) { return v; }, kif{1, 8, 8}),
                        Contains("apply") && Contains("at most 16 bits") && Contains("quantize the input"));
    REQUIRE_NOTHROW(apply(
        quantize(x, kif{1, 8, 4}), [](double v) { return v; }, kif{1, 8, 8}));
}

TEST_CASE("results wider than supported", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 60, 59});  // 120 bits
    REQUIRE_THROWS_WITH(x + x * 3, Contains("at most 120 bits"));
    REQUIRE_THROWS_AS(x * x, Error);
    FixedVariable y = input(kif{1, 3, 2});
    REQUIRE_THROWS_WITH(where(y, y, y + 1), Contains("where") && Contains("1-bit"));
    REQUIRE_THROWS_WITH(y << 5000, Contains("exponent"));
}

TEST_CASE("queries that a double cannot hold", "[trace][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 70, 0});
    CHECK(x.min() == -std::ldexp(1.0, 70));
    REQUIRE_THROWS_WITH(x.max(), Contains("max()") && Contains("not exactly representable"));
    CHECK(x.step() == 1);
}
