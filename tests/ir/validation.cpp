// One validation for every node, whoever makes it: the text parser and raw Graph::append reject
// what the builder never produces (negative bit positions, wide Select conditions, tables past
// their limit, ...) with an Error naming the node; the graph's public mutators and the ports of
// a CombLogic are checked too.
#include <catch2/catch.hpp>

#include <fixvar/fixvar.hpp>
#include <fixvar/ir/interpreter.hpp>
#include <fixvar/ir/text.hpp>

using namespace fixvar;
using Catch::Contains;

namespace {

std::string graph_text(const std::string& nodes, const std::string& outputs = "%1") {
    return "fixvar-graph 1\n%0 = input 0 : [-8, 7]*2^0\n" + nodes + "inputs %0\noutputs " + outputs + "\n";
}

ir::Node node(ir::Op op, ir::NodeId a = ir::no_node, ir::NodeId b = ir::no_node, std::int32_t param = 0) {
    ir::Node n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.param = param;
    return n;
}

ir::Graph one_input() {
    ir::Graph g;
    ir::Node in = node(ir::Op::Input);
    in.range = ExactRange{-8, 7, 0};
    g.inputs.push_back(g.append(in));
    return g;
}

}  // namespace

TEST_CASE("the parser rejects every node the builder would refuse", "[ir][text][errors]") {
    auto bad = [](const std::string& nodes) { return ir::parse_graph(graph_text(nodes)); };
    REQUIRE_THROWS_WITH(bad("%1 = bit %0, -1 : [0, 1]*2^0\n"), Contains("line 3") && Contains("bit position -1"));
    REQUIRE_THROWS_WITH(bad("%1 = bit %0, 200 : [0, 1]*2^0\n"), Contains("bit position 200"));
    REQUIRE_THROWS_WITH(bad("%1 = select %0, %0, %0 : [-8, 7]*2^0\n"),
                        Contains("line 3") && Contains("condition must be a 1-bit value"));
    REQUIRE_THROWS_WITH(bad("%1 = const : [6, 6]*2^0\n"),
                        Contains("not a normalized constant") && Contains("[3, 3]*2^1"));
    REQUIRE_THROWS_WITH(bad("%1 = add %0, %0 << 100000 : [0, 1]*2^0\n"), Contains("shift 100000"));
    REQUIRE_THROWS_WITH(bad("%1 = shift %0, -100000 : [0, 1]*2^0\n"), Contains("shift -100000"));
    std::string wide =
        "fixvar-graph 1\n%0 = input 0 : [0, 1048575]*2^0\n%1 = table %0 exp 0 [1] : [1, 1]*2^0\n"
        "inputs %0\noutputs %1\n";
    REQUIRE_THROWS_WITH(ir::parse_graph(wide), Contains("more than 2^16 values"));
    std::string entries = "%1 = table %0 exp 0 [";
    for (int j = 0; j <= 65536; ++j) entries += "1 ";
    REQUIRE_THROWS_WITH(bad(entries + "] : [1, 1]*2^0\n"), Contains("at most 2^16 entries"));
    REQUIRE_THROWS_WITH(ir::parse_graph("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = input 1 : [0, 3]*2^0\n"
                                        "inputs %0\noutputs %0\n"),
                        Contains("input node %1 is not on the 'inputs' line"));
}

TEST_CASE("Graph::append shares the parser's validation", "[ir][errors]") {
    ir::Graph g = one_input();
    REQUIRE_THROWS_WITH(g.append(node(ir::Op::Bit, 0, ir::no_node, -1)), Contains("bit position -1"));
    REQUIRE_THROWS_WITH(g.append(node(ir::Op::Neg, 5)), Contains("operand %5 is not an earlier node"));
    REQUIRE_THROWS_WITH(g.append(node(ir::Op::Neg, 0, 0)), Contains("takes 1 operand"));
    REQUIRE_THROWS_WITH(g.append(node(ir::Op::Quantize, 0, ir::no_node, 3)), Contains("quantizer 3 does not exist"));
    REQUIRE_THROWS_WITH(g.append(node(ir::Op::Table, 0, ir::no_node, 0)), Contains("table 0 does not exist"));
    ir::Node sel = node(ir::Op::Select, 0, 0);
    sel.c = 0;
    REQUIRE_THROWS_WITH(g.append(sel), Contains("1-bit"));
    ir::Node cmp = node(ir::Op::Cmp, 0, 0);
    cmp.flag = 9;
    REQUIRE_THROWS_WITH(g.append(cmp), Contains("unknown predicate 9"));
    ir::Node op = node(ir::Op(200));
    REQUIRE_THROWS_WITH(g.append(op), Contains("unknown op 200"));
    CHECK(g.size() == 1);  // nothing was appended
    // The public mutators check their arguments as well.
    REQUIRE_THROWS_WITH(g.tighten(0, ExactRange{-9, 0, 0}), Contains("not a range within"));
    REQUIRE_THROWS_WITH(g.tighten(7, ExactRange{0, 0, 0}), Contains("does not exist"));
    ir::NodeId neg = g.append(node(ir::Op::Neg, 0));
    REQUIRE_THROWS_WITH(g.set_input_range(neg, ExactRange{0, 1, 0}), Contains("not an input"));
    REQUIRE_THROWS_WITH(g.set_input_range(0, ExactRange{1, 0, 0}), Contains("empty range"));
    // The builder refuses the same things before they reach the graph.
    ir::GraphBuilder b;
    ir::NodeId x = b.input(kif{1, 3, 0});
    REQUIRE_THROWS_WITH(b.bit(x, -1), Contains("must be >= 0"));
    REQUIRE_THROWS_WITH(b.select(x, x, x), Contains("1-bit"));
    REQUIRE_THROWS_WITH(b.input(ExactRange{3, 2, 0}), Contains("empty range"));
}

TEST_CASE("ports are checked wherever a graph enters", "[ir][errors]") {
    ir::Graph g = one_input();
    g.outputs.push_back(0);
    ir::Graph unlisted = g;
    ir::Node in = node(ir::Op::Input, ir::no_node, ir::no_node, 1);
    in.range = ExactRange{0, 1, 0};
    unlisted.append(in);
    REQUIRE_THROWS_WITH(CombLogic(unlisted), Contains("is not on the 'inputs' line"));
    std::vector<i128> x = {1};
    REQUIRE_THROWS_WITH(ir::interpret(unlisted, x, 1), Contains("interpret") && Contains("not on the 'inputs'"));
    ir::Graph bad_out = g;
    bad_out.outputs = {4};
    REQUIRE_THROWS_WITH(CombLogic(bad_out), Contains("output %4 is not a node"));
    ir::Graph twice = g;
    twice.inputs.push_back(0);
    REQUIRE_THROWS_WITH(CombLogic(twice), Contains("listed twice"));
    CombLogic ok(g);
    REQUIRE_THROWS_WITH(ok.predict_mantissas(std::vector<i128>{100}, 1), Contains("outside the port range"));
}

TEST_CASE("checked interpretation names the first node that leaves its range", "[ir][checked]") {
    // A hand-written graph whose %2 claims a range its values leave (tightened past the truth).
    ir::Graph g = ir::parse_graph(graph_text("%1 = neg %0 : [-7, 8]*2^0\n%2 = add %1, %0 : [0, 0]*2^0\n", "%2"));
    g.tighten(1, ExactRange{-7, 7, 0});
    std::vector<i128> x = {3, -8};
    CHECK(ir::interpret(g, x, 2).size() == 2);  // unchecked: no error
    ir::InterpretOptions opt;
    opt.check = ir::RangeCheck::every_node;
    REQUIRE_THROWS_WITH(ir::interpret(g, x, 2, opt),
                        Contains("checked mode: sample 1, node %1 (neg) has value 8*2^0") && Contains("[-7, 7]*2^0"));
    x = {3, 2};
    CHECK(ir::interpret(g, x, 2, opt) == std::vector<i128>{0, 0});
}
