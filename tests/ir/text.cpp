// Text dump/parse: round-trip exactness on random graphs (same text, same predictions) and
// parse errors that name the line.
#include <catch2/catch.hpp>

#include <fixvar/ir/interpreter.hpp>
#include <fixvar/ir/text.hpp>

#include "random_program.hpp"

using namespace fixvar;
using Catch::Contains;

namespace {

CombLogic trace_program(const randprog::Program& p) {
    std::vector<FixedVariable> in(p.values.begin(), p.values.begin() + long(p.inputs.size()));
    std::vector<FixedVariable> out;
    for (int o : p.outputs) out.push_back(p.values[std::size_t(o)]);
    return comb_trace(in, out);
}

std::vector<i128> random_inputs(const ir::Graph& g, std::size_t batch, std::mt19937_64& rng) {
    std::vector<i128> in;
    for (std::size_t s = 0; s < batch; ++s)
        for (ir::NodeId id : g.inputs) {
            const ExactRange& r = g[id].range;
            in.push_back(r.lo + i128(rng() % std::uint64_t(r.hi - r.lo + 1)));
        }
    return in;
}

const char* example =
    "fixvar-graph 1\n"
    "%0 = input 0 : [-32, 31]*2^-2\n"
    "%1 = input 1 : [0, 15]*2^0\n"
    "%2 = sub %0, %1 << 2 : [-272, 31]*2^-2\n"
    "%3 = quantize %2 kif{0,5,1} RND SAT : [0, 16]*2^-1\n"
    "inputs %0 %1\n"
    "outputs %3\n";

}  // namespace

TEST_CASE("dump -> parse -> dump is exact on random graphs", "[ir][text]") {
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        INFO("seed " << seed);
        randprog::Program p = randprog::make(seed);
        CombLogic logic = trace_program(p);
        std::string text = logic.dump();
        CombLogic back = CombLogic::parse(text);
        INFO(text);
        REQUIRE(back.dump() == text);
        // same nodes, ranges, quantizers and tables
        const ir::Graph &g = logic.graph(), &h = back.graph();
        REQUIRE(g.size() == h.size());
        for (std::size_t j = 0; j < g.size(); ++j) {
            CHECK(g[ir::NodeId(j)].range == h[ir::NodeId(j)].range);
            CHECK(g[ir::NodeId(j)].op == h[ir::NodeId(j)].op);
        }
        CHECK(g.quantizers() == h.quantizers());
        CHECK(g.tables() == h.tables());
        std::mt19937_64 rng(seed);
        std::vector<i128> in = random_inputs(g, 500, rng);
        CHECK(logic.predict_mantissas(in, 500, 0, ir::RangeCheck::every_node) ==
              back.predict_mantissas(in, 500, 0, ir::RangeCheck::every_node));
    }
}

TEST_CASE("parsing a hand-written graph", "[ir][text]") {
    ir::Graph g = ir::parse_graph(std::string("# comment line\n\n") + example);
    CHECK(g.size() == 4);
    CHECK(g[3].range == ExactRange{0, 16, -1});
    // a tighter range that lies within the rule's is kept
    ir::Graph t = ir::parse_graph(
        "fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n"
        "%1 = neg %0 : [-2, 0]*2^0\ninputs %0\noutputs %1\n");
    CHECK(t[1].range == ExactRange{-2, 0, 0});
    std::vector<i128> in = {5, 0, -32, 15};  // x = 1.25, y = 0 ; x = -8, y = 15
    auto out = ir::interpret(g, in, 2);
    CHECK(out[0] == 3);  // 1.25 -> RND to 0.5 steps: 1.5 -> mantissa 3
    CHECK(out[1] == 0);
}

TEST_CASE("parse errors name the line", "[ir][text][errors]") {
    auto bad = [](std::string t) { return ir::parse_graph(t); };
    REQUIRE_THROWS_WITH(bad(""), Contains("empty text"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 2\n"), Contains("line 1") && Contains("version"));
    REQUIRE_THROWS_WITH(bad("graph\n"), Contains("line 1") && Contains("fixvar-graph"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%2 = neg %0 : [-3, 0]*2^0\n"),
                        Contains("line 3") && Contains("expected node %1"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = frob %0 : [0, 3]*2^0\n"),
                        Contains("line 3") && Contains("unknown op 'frob'"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = neg %5 : [-3, 0]*2^0\n"),
                        Contains("line 3") && Contains("not an earlier node"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [3, 0]*2^0\n"), Contains("line 2") && Contains("lo > hi"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = neg %0 : [-4, 0]*2^0\n"),
                        Contains("line 3") && Contains("not within the op rule"));
    REQUIRE_THROWS_WITH(
        bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = quantize %0 kif{1,2,0} RND BOGUS : [0, 3]*2^0\n"),
        Contains("line 3") && Contains("BOGUS"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = neg %0 : [-3, 0]*2^0 junk\n"),
                        Contains("line 3") && Contains("unexpected text"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = neg %0\n"),
                        Contains("line 3") && Contains("expected ':'"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\noutputs %0\n"), Contains("missing 'inputs'"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = neg %0 : [-3, 0]*2^0\n"
                            "inputs %1\noutputs %1\n"),
                        Contains("line 4") && Contains("must be an input node"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\ninputs %0\n"
                            "%1 = neg %0 : [-3, 0]*2^0\noutputs %1\n"),
                        Contains("line 4") && Contains("before inputs/outputs"));
    REQUIRE_THROWS_WITH(bad("fixvar-graph 1\n%0 = input 0 : [0, 999999999999999999999999999999999999999999]*2^0\n"),
                        Contains("line 2") && Contains("out of range"));
    REQUIRE_THROWS_WITH(
        CombLogic::parse("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = table %0 exp 0 [1 2] : [1, 2]*2^0\n"),
        Contains("table"));
}

TEST_CASE("a const line with lo != hi is rejected", "[ir][text]") {
    REQUIRE_THROWS(ir::parse_graph("fixvar-graph 1\n%0 = const : [1, 5]*2^0\ninputs\noutputs %0\n"));
}

TEST_CASE("a parse error names its line once", "[ir][text][errors]") {
    auto message = [](std::string text) {
        try {
            ir::parse_graph(text);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    std::string range = message("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = neg %0 : [-4, 0]*2^0\n");
    CHECK_THAT(range, Catch::StartsWith("parse_graph: line 3: range [-4, 0]*2^0 is not within"));
    CHECK(range.find("parse_graph", 1) == std::string::npos);
    std::string mode = message(
        "fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n"
        "%1 = quantize %0 kif{1,2,0} RND BOGUS : [0, 3]*2^0\n");
    CHECK_THAT(mode, Catch::StartsWith("parse_graph: line 3: ") && Contains("BOGUS"));
    CHECK(mode.find("line 3", 25) == std::string::npos);
}
