// The bus and comparison helpers check what a caller passes (no Verilator needed): sizes,
// layouts, values that would be truncated.
#include <catch2/catch.hpp>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/equiv.hpp>
#include <fixvar/backend/report.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilator.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/fixvar.hpp>

#include "bad_input_table.hpp"

#include <filesystem>
#include <fstream>

using namespace fixvar;
using namespace fixvar::backend;
using Catch::Contains;

TEST_CASE("pack_bus / unpack_bus reject bad sizes, layouts and values", "[backend][errors]") {
    std::vector<PortElement> el = {PortElement{kif{1, 3, 0}, 0, 4}, PortElement{kif{0, 2, 1}, 4, 3}};
    std::vector<i128> m = {-8, 7, 7, 0};
    std::vector<std::uint32_t> w = pack_bus(el, 7, m, 2);
    CHECK(unpack_bus(el, 7, w, 2) == m);
    REQUIRE_THROWS_WITH(pack_bus(el, 7, m, 3), Contains("expected 6 mantissas"));
    REQUIRE_THROWS_WITH(pack_bus(el, 7, std::vector<i128>{8, 0}, 1),
                        Contains("mantissa 8 does not fit its 4-bit signed"));
    REQUIRE_THROWS_WITH(pack_bus(el, 7, std::vector<i128>{0, -1}, 1), Contains("unsigned"));
    REQUIRE_THROWS_WITH(pack_bus(el, 5, m, 2), Contains("does not lie within the 5-bit bus"));
    std::vector<PortElement> huge = {PortElement{kif{0, 200, 0}, 0, 200}};
    REQUIRE_THROWS_WITH(pack_bus(huge, 200, std::vector<i128>{0}, 1), Contains("does not lie within"));
    std::vector<PortElement> negative = {PortElement{kif{0, 2, 0}, -3, 2}};
    REQUIRE_THROWS_WITH(unpack_bus(negative, 8, w, 2), Contains("does not lie within"));
    REQUIRE_THROWS_WITH(unpack_bus(el, 7, w, 5), Contains("expected 5 words"));
    REQUIRE_THROWS_WITH(unpack_bus(el, 7, w, std::size_t(-1) / 2), Contains("got 2"));
    std::vector<PortElement> wide = {PortElement{kif{0, 40, 0}, 0, 40}};
    REQUIRE_THROWS_WITH(unpack_bus(wide, 40, w, std::size_t(-1) / 2 + 1), Contains("overflow"));
}

TEST_CASE("compare_outputs and Simulator::run check their sizes", "[backend][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0});
    CombLogic l = comb_trace({x}, {x * 3});
    Vectors v = random_vectors(l, 4, 1);
    std::vector<i128> rtl(3);
    REQUIRE_THROWS_WITH(compare_outputs(l, v, rtl, "check"),
                        Contains("check: 3 RTL output mantissas for 4 samples x 1 outputs"));
    Vectors outside{{100}, 1};
    REQUIRE_THROWS_WITH(compare_outputs(l, outside, std::vector<i128>{0}, "check"), Contains("outside the port range"));
    VerilogModule m;
    m.name = "m";
    m.ports = port_layout(l.graph());
    Simulator sim({m}, "unused");
    REQUIRE_THROWS_WITH(sim.run({}, 1), Contains("0 input bus sets for 1 modules"));
    REQUIRE_THROWS_WITH(sim.run({{1, 2}}, 1), Contains("expected 1 input words"));
    REQUIRE_THROWS_WITH(sim.run({{1}}, 1), Contains("not built"));
}

TEST_CASE("an output directory that is a file is an Error", "[backend][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0});
    CombLogic l = comb_trace({x}, {x * 3});
    auto file = std::filesystem::temp_directory_path() / "fixvar_not_a_dir";
    { std::ofstream(file) << "x"; }
    VerilogModel model(l, "m", file);
    REQUIRE_THROWS_WITH(model.write(), Contains("is an existing file"));
    REQUIRE_THROWS_WITH(write_verilog(l, file / "m.v"), Contains("is an existing file"));
    std::filesystem::remove(file);
}

TEST_CASE("backend entry points reject bad arguments with an Error", "[backend][errors]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0});
    CombLogic l = comb_trace({x}, {x * 3});
    ir::Graph unlisted = l.graph();
    unlisted.inputs.clear();
    ir::Graph dangling = l.graph();
    dangling.outputs.push_back(999);
    test::check_bad_inputs({
        {"emit_verilog(Graph): input node not a port", [&] { emit_verilog(unlisted, "m"); },
         "is not on the 'inputs' line"},
        {"port_layout: output not a node", [&] { port_layout(dangling); }, "output %999 is not a node"},
        {"emit_verilog: SystemVerilog keyword", [&] { emit_verilog(l, "logic"); }, "is a SystemVerilog keyword"},
        {"emit_verilog: NaN cut-off", [&] { emit_verilog(l, "m", {.latency_cutoff = std::nan("")}); },
         "latency cut-off must be a finite number"},
        {"random_vectors: batch past 2^28 mantissas", [&] { random_vectors(l, std::size_t(1) << 62, 1); },
         "verify in batches"},
        {"vectors_from_values: wrong sample size",
         [&] {
             vectors_from_values(l, {{1.0, 2.0}});
         },
         "sample 0 has 2 values; the circuit has 1 inputs"},
        {"synth_script: unknown family", [] { synth_script("xyz"); }, "unknown family 'xyz'"},
        {"read_synth_json: no file", [] { read_synth_json("/nonexistent.json"); }, "no such file"},
        {"read_report_json: no file", [] { read_report_json("/nonexistent.json"); }, "no such file"},
        {"make_report: negative latency", [&] { make_report(l, "m", -1); }, "latency of -1 cycles is negative"},
        {"bus_words: negative width", [] { bus_words(-3); }, "a bus of -3 bits is impossible"},
        {"read_emitted_module: no file", [] { read_emitted_module("/nonexistent.v"); }, "/nonexistent.v"},
    });
}
