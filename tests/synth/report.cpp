// Model reports: report.json read back and checked against the model's own numbers; the
// Markdown names them; the DOT export renders with Graphviz.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <sys/wait.h>

#include <fixvar/backend/dot.hpp>
#include <fixvar/backend/report.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;
namespace fs = std::filesystem;

TEST_CASE("report.json round trip equals the model's own numbers", "[report]") {
    fs::path dir = synth_test::scratch("report");
    new_trace();
    FixedVariable a = input(kif{1, 5, 2}), b = input(kif{0, 4, 0});
    FixedVariable y = quantize(relu(a * 3 - b) + (a >> 1), kif{0, 5, 1}, Round::RND, Overflow::SAT);
    CombLogic logic = comb_trace({a, b}, {y, max(a, b)});
    VerilogModel model(logic, "toy", dir, {.latency_cutoff = 1});
    ModelReport r = make_report(model);
    write_report(r, dir);
    ModelReport back = read_report_json(dir / "report.json");

    ir::GraphStats st = logic.stats();
    CHECK(back.name == "toy");
    CHECK(back.inputs == 2);
    CHECK(back.outputs == 2);
    CHECK(back.nodes == st.nodes);
    CHECK(back.cost_estimate == st.total_cost);
    CHECK(back.depth == st.depth);
    CHECK(back.latency_levels == Approx(st.latency));
    CHECK(back.latency_cycles == model.latency());
    CHECK(back.latency_cycles > 0);
    std::size_t counted = 0, inputs_consts = 0;
    for (int op = 0; op < ir::op_count; ++op) {
        std::size_t n = st.count_by_op[op];
        std::string name(ir::to_string(ir::Op(op)));
        CHECK(back.ops[name] == n);
        counted += n;
        if (ir::Op(op) == ir::Op::Input || ir::Op(op) == ir::Op::Const) inputs_consts += n;
    }
    CHECK(counted == st.nodes);
    std::size_t histogram = 0;
    for (auto& [w, n] : back.width_histogram) histogram += n;
    CHECK(histogram == st.nodes - inputs_consts);
    int widest = 0;
    for (auto& n : logic.graph().nodes()) widest = std::max(widest, n.range.width());
    REQUIRE(back.widest.size() == std::min<std::size_t>(10, st.nodes));
    CHECK(back.widest[0].width == widest);
    for (std::size_t k = 1; k < back.widest.size(); ++k) CHECK(back.widest[k].width <= back.widest[k - 1].width);
    const ir::Node& top = logic.graph()[back.widest[0].id];
    CHECK(back.widest[0].op == ir::to_string(top.op));
    CHECK(back.adder_depth >= 1);
    CHECK_FALSE(back.synth.has_value());
    // The placement, with the register counts of longer stages at the same latency.
    const Pipeline& placed = model.module().pipeline;
    REQUIRE(back.pipeline.has_value());
    CHECK(back.pipeline->register_bits == placed.register_bits);
    REQUIRE(placed.longer_stages.size() == 3);
    REQUIRE(back.pipeline->longer_stages.size() == 3);
    CHECK(back.pipeline->register_bits_floor == placed.register_bits_floor);
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(back.pipeline->longer_stages[k].cutoff == Approx(placed.longer_stages[k].cutoff));
        CHECK(back.pipeline->longer_stages[k].register_bits == placed.longer_stages[k].register_bits);
    }

    std::ifstream md(dir / "report.md");
    std::stringstream text;
    text << md.rdbuf();
    CHECK(text.str().find(fmt::format("| cost estimate (LUTs) | {:.0f} |", st.total_cost)) != std::string::npos);
    CHECK(text.str().find("not synthesized") != std::string::npos);
}

TEST_CASE("DOT export renders with Graphviz", "[report]") {
    fs::path dir = synth_test::scratch("dot");
    CombLogic logic = synth_test::cmvm_layer({{3, -5}, {2, 7}});
    write_dot(logic, dir / "layer.dot", "a \"quoted\" name\\");  // must stay one DOT string
    std::string text = graph_dot(logic, "layer");
    for (std::size_t j = 0; j < logic.graph().size(); ++j)
        CHECK(text.find(fmt::format("  n{} [label=\"%{} ", j, j)) != std::string::npos);
    std::string cmd = "dot -Tsvg " + (dir / "layer.dot").string() + " -o " + (dir / "layer.svg").string();
    int st = std::system(cmd.c_str());
    REQUIRE((WIFEXITED(st) && WEXITSTATUS(st) == 0));
    std::ifstream svg(dir / "layer.svg");
    std::stringstream s;
    s << svg.rdbuf();
    CHECK(s.str().find("<svg") != std::string::npos);
}
