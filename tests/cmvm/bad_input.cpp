// Solutions a caller builds or reads are checked before use: analyze / evaluate raise Error on
// ids out of order, missing outputs and huge shifts; apply_solution re-analyses against the
// inputs it is given, and solution_logic's ports carry the problem's exact input ranges.
#include <catch2/catch.hpp>

#include <cmath>

#include <fixvar/cmvm/memory.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/fixvar.hpp>

#include "bad_input_table.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;
using Catch::Contains;

namespace {

// y0 = x0 + 2 x1 (adder n2), y1 = n2 - x1 = x0 + x1 (adder n3).
Solution two_adders() {
    Solution s;
    s.n = 2;
    s.m = 2;
    s.adders = {Adder{0, 1, 1, false}, Adder{2, 1, 0, true}};
    s.outputs = {OutputRef{2, 0, false}, OutputRef{3, 0, false}};
    return s;
}

}  // namespace

TEST_CASE("analyze and evaluate reject malformed solutions", "[cmvm][errors]") {
    std::vector<kif> in = {kif{1, 3, 0}, kif{0, 2, 1}};
    Solution s = two_adders();
    analyze(s, in);
    CHECK(s.cost > 0);
    Solution later = two_adders();
    later.adders[0].b = 3;  // uses a node defined after it
    REQUIRE_THROWS_WITH(analyze(later, in), Contains("n2 = n0 + n3") && Contains("not earlier"));
    Solution negative = two_adders();
    negative.adders[1].a = -4;
    REQUIRE_THROWS_WITH(analyze(negative, in), Contains("not earlier"));
    Solution missing = two_adders();
    missing.outputs[1].node = 9;
    REQUIRE_THROWS_WITH(analyze(missing, in), Contains("output 1 refers to node 9"));
    Solution shifty = two_adders();
    shifty.adders[0].shift = 1 << 30;
    REQUIRE_THROWS_WITH(analyze(shifty, in), Contains("shift 1073741824"));
    REQUIRE_THROWS_WITH(analyze(s, std::vector<kif>{kif{1, 3, 0}}), Contains("1 input ranges"));
    REQUIRE_THROWS_WITH(evaluate(s, in, {1}), Contains("evaluate") && Contains("1 values"));
    REQUIRE_THROWS_WITH(evaluate(later, in, {1, 1}), Contains("not earlier"));
    REQUIRE_THROWS_WITH(evaluate(s, {kif{1, 3, 0}, kif{3, 0, 0}}, {1, 1}), Contains("k (keep_negative)"));
    std::vector<Dyadic> y = evaluate(s, in, {3, 5});  // x0 = 3, x1 = 2.5
    CHECK(y[0] == Dyadic::make(8, 0));
    CHECK(y[1] == Dyadic::make(11, -1));
}

TEST_CASE("apply_solution uses the ranges of the inputs it is given", "[cmvm][trace]") {
    // A solution analysed for wide inputs, applied to narrow ones, and one analysed for ranges
    // disjoint from the inputs': the graph holds the exact ranges over the actual inputs.
    Solution s = two_adders();
    analyze(s, std::vector<ExactRange>{ExactRange{100, 200, 0}, ExactRange{100, 200, 0}});
    new_trace();
    std::vector<FixedVariable> x = {input(kif{0, 2, 0}), input(kif{1, 1, 0})};  // [0, 3], [-2, 1]
    std::vector<FixedVariable> y = apply_solution(x, s);
    CHECK(to_string(y[0].range()) == to_string(ExactRange{-4, 5, 0}));
    CHECK(to_string(y[1].range()) == to_string(ExactRange{-2, 4, 0}));
    CombLogic l = comb_trace(x, y);
    CHECK(CombLogic::parse(l.dump()) == l);
    REQUIRE_THROWS_WITH(apply_solution({x[0]}, s), Contains("1 inputs for a solution with 2"));
}

TEST_CASE("solution_logic's ports are the problem's exact input ranges", "[cmvm][trace]") {
    Problem p;
    p.name = "narrow";
    p.n = 2;
    p.m = 2;
    p.inputs = {kif{0, 4, 0}, kif{1, 3, 1}};
    p.ranges = {ExactRange{0, 5, 0}, ExactRange{-3, 4, -1}};
    for (int v : {1, 1, 2, 1}) p.weights.push_back(Dyadic::make(v, 0));
    Solution s = solve(p);
    CombLogic l = solution_logic(p, s);
    CHECK(l.graph()[l.graph().inputs[0]].range == p.ranges[0]);
    CHECK(l.graph()[l.graph().inputs[1]].range == p.ranges[1]);
    // y0 = x0 + 2 x1 over [0, 5] x [-1.5, 2]: [-3, 9] at step 1.
    CHECK(to_string(l.output_range(0)) == to_string(ExactRange{-3, 9, 0}));
    Problem wrong = p;
    wrong.ranges = {ExactRange{0, 99, 0}, ExactRange{0, 1, -1}};
    REQUIRE_THROWS_WITH(solution_logic(wrong, s), Contains("not within its format's range"));
}

TEST_CASE("cmvm entry points reject bad arguments with an Error", "[cmvm][errors]") {
    const Problem ok = parse_problem("cmvm 1\nname a\nshape 1 1\nin 1 3 0\nrow 3\n");
    Problem sizes;
    sizes.n = 2;
    Solution forward = two_adders();
    forward.adders[0].a = 7;
    auto with = [&](auto set) {
        return [=] {
            Options o;
            set(o);
            solve(ok, o);
        };
    };
    test::check_bad_inputs({
        {"parse_problem: 10^9 rows", [] { parse_problem("cmvm 1\nname a\nshape 1000000000 2\n"); },
         "shape 1000000000 x 2 is out of range (n and m must lie within 0..1000000"},
        {"parse_problem: missing rows", [] { parse_problem("cmvm 1\nname a\nshape 1000000 1000000\n"); },
         "0 `in` lines, expected n = 1000000"},
        {"read_problem: no file", [] { read_problem("/nonexistent.cmvm"); }, "no such file"},
        {"format_problem: sizes disagree", [&] { format_problem(sizes); }, "0 input formats for 2 inputs"},
        {"solve: sizes disagree", [&] { solve(sizes); }, "0 input formats for 2 inputs"},
        {"lower_bound: sizes disagree", [&] { lower_bound(sizes); }, "0 input formats for 2 inputs"},
        {"estimate_memory: sizes disagree", [&] { estimate_memory(sizes); }, "0 input formats for 2 inputs"},
        {"solve: 0 threads", with([](Options& o) { o.threads = 0; }), "threads must be at least 1"},
        {"solve: NaN time budget", with([](Options& o) { o.time_budget = std::nan(""); }),
         "time budget must be between 0 and 1e9"},
        {"solve: negative time budget", with([](Options& o) { o.time_budget = -1; }), "time budget"},
        {"solve: impossible depth", with([](Options& o) { o.max_depth = -1; }), "max depth -1 is impossible"},
        {"solve: negative depth slack", with([](Options& o) { o.depth_slack = -1; }), "depth slack must be 0 or more"},
        {"solve: memory budget of 1 byte", with([](Options& o) { o.max_memory_bytes = 1; }), "over the memory budget"},
        {"parse_objective", [] { parse_objective("speed"); }, "unknown objective 'speed'"},
        {"parse_algorithm", [] { parse_algorithm("magic"); }, "unknown algorithm 'magic'"},
        {"adder_depth: operand not earlier", [&] { adder_depth(forward); }, "not earlier"},
        {"analyze: operand not earlier",
         [&] {
             analyze(forward, std::vector<kif>{kif{1, 3, 0}, kif{1, 3, 0}});
         },
         "not earlier"},
    });
}
