// The op table (src/ir/op_table.cpp) through every reader: one row per op, and one graph holding
// every op and predicate whose text, estimates and values are pinned. The pinned costs and
// values were produced by the per-function switches the table replaced, the latencies worked
// out by hand from ir::Delay, so a row that drifts fails here.
#include <catch2/catch.hpp>

#include <cmath>

#include <fixvar/ir/interpreter.hpp>
#include <fixvar/ir/text.hpp>

#include "ir/eval.hpp"
#include "ir/op_table.hpp"

#include <algorithm>
#include <string>
#include <vector>

using namespace fixvar;

namespace {

const std::string every_op = R"(fixvar-graph 1
%0 = input 0 : [-8, 7]*2^-1
%1 = input 1 : [0, 5]*2^0
%2 = abs %0 : [0, 8]*2^-1
%3 = min %0, %1 : [-8, 7]*2^-1
%4 = max %0, %1 : [0, 10]*2^-1
%5 = cmp.lt %0, %1 : [0, 1]*2^0
%6 = cmp.le %0, %1 : [0, 1]*2^0
%7 = cmp.ge %0, %1 : [0, 1]*2^0
%8 = cmp.eq %0, %1 : [0, 1]*2^0
%9 = cmp.ne %0, %1 : [0, 1]*2^0
%10 = bit %0, 1 : [0, 1]*2^0
%11 = bit %0, 127 : [0, 1]*2^0
%12 = table %1 exp -2 [3 -1 4 1 -5 9] : [-5, 9]*2^-2
%13 = select %5, %0, %12 : [-16, 14]*2^-2
%14 = mul %0, %1 : [-40, 35]*2^-1
%15 = quantize %14 kif{1,3,1} RND SAT : [-16, 15]*2^-1
%16 = quantize %14 kif{1,2,0} TRN WRAP : [-4, 3]*2^0
%17 = sub %0, %1 << 2 : [-48, 7]*2^-1
%18 = neg %17 : [-7, 48]*2^-1
%19 = shift %18, -3 : [-7, 48]*2^-4
%20 = relu %19 : [0, 48]*2^-4
%21 = const : [3, 3]*2^-2
%22 = add %21, %20 : [12, 60]*2^-4
%23 = quantize %0 kif{0,2,2} RND_CONV SAT_SYM : [0, 14]*2^-2
%24 = quantize %3 kif{1,1,0} RND_INF SAT_ZERO : [-2, 1]*2^0
%25 = cmp.gt %0, %1 : [0, 1]*2^0
inputs %0 %1
outputs %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13 %14 %15 %16 %17 %18 %19 %20 %21 %22 %23 %24 %25
)";

}  // namespace

TEST_CASE("the op table has one row per op, in the enum's order", "[ir][op_table]") {
    for (int o = 0; o < ir::op_count; ++o) {
        const ir::OpRules& rules = ir::op_rules(ir::Op(o));
        CHECK(rules.op == ir::Op(o));
        CHECK(ir::to_string(ir::Op(o)) == rules.name);
        CHECK(ir::arity(ir::Op(o)) == rules.arity);
    }
    CHECK(ir::to_string(ir::Op(200)) == "?");
    CHECK(ir::arity(ir::Op(200)) == 0);
}

TEST_CASE("every op: text, cost, latency and value as before the table", "[ir][op_table]") {
    ir::Graph g = ir::parse_graph(every_op);
    CHECK(ir::dump(g) == every_op);
    std::vector<bool> seen(ir::op_count, false);
    for (const ir::Node& n : g.nodes()) seen[std::size_t(n.op)] = true;
    CHECK(std::find(seen.begin(), seen.end(), false) == seen.end());

    struct Estimate {
        float cost, latency;
    };
    // Latencies (ir::Delay): a chain is 2 + one per further group of 4 bits; a LUT is 1.
    const float mul_latency = 1 + std::log2(3.0f) + 2 + 1;  // a LUT, the tree, a 7-bit chain
    const Estimate expected[] = {
        {0, 0},
        {0, 0},  // input
        {4, 2},
        {8, 3},
        {8, 3},  // abs, min, max
        {4, 2},
        {4, 2},
        {4, 2},
        {4, 2},
        {4, 2},  // cmp
        {0, 0},
        {0, 0},
        {5, 1},
        {5, 3},  // bit, table, select (after the comparison)
        {12, mul_latency},
        {5, mul_latency + 2},
        {0, mul_latency},  // mul, quantize (saturation only: test and mux), quantize (a wire)
        {3, 3},
        {7, 5},
        {0, 5},
        {6, 6},  // sub (7 bits), neg (on sub's first bits), shift, relu (after the sign)
        {0, 0},
        {4, 9},
        {4, 2},
        {5, 7},
        {4, 2},  // const, add, quantize, quantize (rounding chain, then saturation), cmp.gt
    };
    REQUIRE(g.size() == std::size(expected));
    for (std::size_t j = 0; j < g.size(); ++j) {
        INFO("node %" << j << " (" << ir::to_string(g[ir::NodeId(j)].op) << ")");
        CHECK(g[ir::NodeId(j)].cost == expected[j].cost);
        CHECK(g[ir::NodeId(j)].latency == expected[j].latency);
    }

    // The inputs' corners (lo, lo) and (hi, hi): the batched interpreter, the one-sample eval
    // (constant folding's) and the pinned values agree.
    const std::vector<i128> inputs = {-8, 0, 7, 5};
    const std::vector<std::vector<i128>> pinned = {
        {8, -8, 0, 1, 1, 0, 0, 1, 0, 1, 3, -16, 0, 0, 0, -8, 8, 8, 8, 3, 20, 0, 0, 0},
        {7, 7, 10, 1, 1, 0, 0, 1, 1, 0, 9, 14, 35, 15, 1, -33, 33, 33, 33, 3, 45, 14, 0, 0},
    };
    std::vector<i128> out = ir::interpret(g, inputs, 2);
    for (std::size_t s = 0; s < 2; ++s) {
        std::vector<i128> value(g.size(), 0);
        for (std::size_t j = 0; j < g.size(); ++j) {
            const ir::Node& n = g[ir::NodeId(j)];
            auto at = [&](ir::NodeId o) { return o < 0 ? i128(0) : value[std::size_t(o)]; };
            value[j] = n.op == ir::Op::Input ? inputs[2 * s + std::size_t(n.param)]
                                             : ir::eval_node(g, n, at(n.a), at(n.b), at(n.c));
        }
        for (std::size_t o = 0; o < g.outputs.size(); ++o) {
            INFO("sample " << s << ", output " << o);
            CHECK(out[s * g.outputs.size() + o] == pinned[s][o]);
            CHECK(value[std::size_t(g.outputs[o])] == pinned[s][o]);
        }
    }
}
