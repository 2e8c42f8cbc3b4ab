// Every public IR function raises fixvar::Error on bad arguments: nodes a caller made up,
// ids outside the graph, ports, sizes (one row per class; docs/errors.md lists them).
#include <fixvar/fixvar.hpp>
#include <fixvar/ir/interpreter.hpp>
#include <fixvar/ir/text.hpp>

#include "bad_input_table.hpp"

using namespace fixvar;

TEST_CASE("IR entry points reject bad arguments with an Error", "[ir][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0});
    const ir::Graph g = comb_trace({x}, {x * 3}).graph();
    ir::Node far;
    far.op = ir::Op::Add;
    far.a = 50;
    far.b = 60;
    ir::Node no_quantizer;
    no_quantizer.op = ir::Op::Quantize;
    no_quantizer.a = 0;
    no_quantizer.param = 7;
    test::check_bad_inputs({
        {"rule_range: operands outside the graph", [&] { ir::rule_range(g, far); }, "operand %50 is not a node"},
        {"node_cost: operands outside the graph", [&] { ir::node_cost(g, far); }, "operand %50 is not a node"},
        {"node_delay: missing quantizer", [&] { ir::node_delay(g, no_quantizer); }, "quantizer 7 does not exist"},
        {"Graph::append: operand not earlier", [&] { ir::Graph(g).append(far); }, "is not an earlier node"},
        {"Graph::tighten: wider range",
         [&] {
             ir::Graph(g).tighten(0, ExactRange{-100, 100, 0});
         },
         "is not a range within"},
        {"Graph::tighten: no such node",
         [&] {
             ir::Graph(g).tighten(999, ExactRange{0, 1, 0});
         },
         "%999 does not exist"},
        {"Graph::narrow: negative id",
         [&] {
             ir::Graph(g).narrow(-3, ExactRange{0, 1, 0});
         },
         "narrow: node %-3 does not exist"},
        {"Graph::narrow: id past the end",
         [&] {
             ir::Graph(g).narrow(999, ExactRange{0, 1, 0});
         },
         "narrow: node %999 does not exist"},
        {"Graph::set_input_range: not an input",
         [&] {
             ir::Graph(g).set_input_range(999, ExactRange{0, 1, 0});
         },
         "is not an input"},
        {"check_ports: unlisted input",
         [&] {
             ir::Graph h = g;
             h.inputs.clear();
             ir::check_ports(h, "t");
         },
         "is not on the 'inputs' line"},
        {"extract: input not an input node",
         [&] { ir::extract(g, std::vector<ir::NodeId>{99}, std::vector<ir::NodeId>{0}); }, "is not an input variable"},
        {"interpret: too few inputs", [&] { ir::interpret(g, std::vector<i128>(1), 2); }, "expected 2 input mantissas"},
        {"interpret: value outside its port", [&] { ir::interpret(g, std::vector<i128>{100}, 1); },
         "outside the port range"},
        {"parse_graph: id past 2^30", [] { ir::parse_graph("fixvar-graph 1\n%2000000000 = input 0 : [0, 3]*2^0\n"); },
         "integer out of range"},
        {"parse_graph: shift past the exponent range",
         [] {
             ir::parse_graph("fixvar-graph 1\n%0 = input 0 : [0, 3]*2^0\n%1 = shift %0, 100000 : [0, 3]*2^100000\n");
         },
         "line 3"},
    });
}
