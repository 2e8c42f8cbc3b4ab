// Yosys synthesis: exact cell counts of trivial designs, a plausible band for a CMVM layer,
// synth.json read back, and every error path (missing top / Yosys, failing run, timeout).
#include <fstream>

#include <fixvar/backend/report.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/yosys.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;
namespace fs = std::filesystem;

namespace {
SynthOptions options(std::string family, std::string top = {}) {
    SynthOptions o;
    o.family = std::move(family);
    o.top = std::move(top);
    return o;
}
}  // namespace

TEST_CASE("trivial designs: exact LUT and CARRY4 counts (xc7), two designs at a time", "[yosys]") {
    fs::path dir = synth_test::scratch("trivial");
    new_trace();
    FixedVariable a = input(kif{0, 8, 0}), b = input(kif{0, 8, 0});
    // 8-bit + 8-bit unsigned -> 9 bits: the operands are zero-extended to 9 bits, so the carry
    // chain is 9 bits long, ceil(9/4) = 3 CARRY4; one LUT2 (a_i xor b_i) per bit 0..7 and none
    // for bit 8 (0 xor 0: the chain's carry is the sum bit).
    write_verilog(comb_trace({a, b}, {a + b}), dir / "add8.v");
    // A shift is a renaming of bits (the exponent moves): no logic at all.
    write_verilog(comb_trace({a}, {a << 3}), dir / "shift.v");
    // A constant output: the bits are tied, no logic.
    new_trace();
    FixedVariable c = input(kif{1, 3, 0});
    write_verilog(comb_trace({c}, {c - c + constant(5.0)}), dir / "constant.v");

    std::vector<fs::path> files = {dir / "add8.v", dir / "shift.v", dir / "constant.v"};
    std::vector<SynthReport> r = synthesize_all(files, {}, 2);
    REQUIRE(r.size() == 3);
    CHECK(r[0].top == "add8");
    CHECK(r[0].lut == 8);
    CHECK(r[0].luts_by_size.at("LUT2") == 8);
    CHECK(r[0].carry == 3);
    CHECK(r[0].ff == 0);
    CHECK(r[0].logic_levels >= 3);  // a LUT, then the two CARRY4 of the chain
    for (int j : {1, 2}) {
        INFO(r[std::size_t(j)].top);
        CHECK(r[std::size_t(j)].lut == 0);
        CHECK(r[std::size_t(j)].carry == 0);
    }
    CHECK(r[0].yosys_version.find("Yosys") == 0);
    CHECK(r[0].script.find("synth_xilinx -flatten -nodsp -noiopad") != std::string::npos);
    CHECK(fs::exists(r[0].log_path));

    // synth.json round trip: every field as synthesized.
    write_synth_json(r[0], dir / "synth.json");
    SynthReport back = read_synth_json(dir / "synth.json");
    CHECK(back.top == r[0].top);
    CHECK(back.family == "xc7");
    CHECK(back.lut == r[0].lut);
    CHECK(back.luts_by_size == r[0].luts_by_size);
    CHECK(back.carry == r[0].carry);
    CHECK(back.ff == r[0].ff);
    CHECK(back.muxf == r[0].muxf);
    CHECK(back.dsp == r[0].dsp);
    CHECK(back.logic_levels == r[0].logic_levels);
    CHECK(back.seconds == r[0].seconds);
    CHECK(back.yosys_version == r[0].yosys_version);
    CHECK(back.cells_by_type == r[0].cells_by_type);
}

TEST_CASE("chained single-use sums of equal width stay one carry chain each (never merged)", "[yosys]") {
    fs::path dir = synth_test::scratch("one_chain");
    new_trace();
    // a + b and then + c: both sums 9 bits wide, the first read once, whole, by the second:
    // what Yosys' alumacc merges into a multi-operand $macc when the Verilog lets it.
    FixedVariable a = input(kif{0, 8, 0}), b = input(kif{0, 1, 0}), c = input(kif{0, 1, 0});
    write_verilog(comb_trace({a, b, c}, {(a + b) + c}), dir / "chain.v");
    // The same chain written plainly: the control that shows the check can fail.
    std::ofstream(dir / "plain.v") << "module plain (input wire [7:0] a, input wire b, input wire c, "
                                      "output wire [8:0] y);\n  wire [8:0] s = a + b;\n  assign y = s + c;\n"
                                      "endmodule\n";
    // alumacc logs each sum it folds into the one reading it.
    auto merges = [&](const std::string& top) {
        std::ofstream(dir / (top + ".ys")) << "read_verilog " << (dir / (top + ".v")).string() << "\nhierarchy -top "
                                           << top << "\nproc\nopt\nwreduce\nalumacc\n";
        YosysRun run = run_yosys(dir / (top + ".ys"), dir / (top + ".log"), dir, {});
        REQUIRE(run.exit_code == 0);
        std::ifstream in(dir / (top + ".log"));
        std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        REQUIRE(log.find("Executing ALUMACC pass") != std::string::npos);
        return log.find("merging $macc model") != std::string::npos;
    };
    CHECK(merges("plain"));
    CHECK(!merges("chain"));
}

TEST_CASE("a small CMVM layer: Yosys LUTs within a plausible band of the cost estimate, pipelined has FFs",
          "[yosys][cmvm]") {
    fs::path dir = synth_test::scratch("cmvm");
    CombLogic logic = synth_test::cmvm_layer(synth_test::small_matrix());
    VerilogModel comb(logic, "layer", dir / "comb");
    SynthReport r = synthesize(comb);
    double estimate = logic.stats().total_cost;
    INFO("LUTs " << r.lut << ", estimate " << estimate << ", carry " << r.carry);
    CHECK(r.lut > 0.6 * estimate);
    CHECK(r.lut < 1.4 * estimate);
    CHECK(r.carry > 0);
    CHECK(r.ff == 0);

    // The report carries the synthesis numbers through report.json.
    write_report(make_report(comb, &r), dir / "comb");
    ModelReport back = read_report_json(dir / "comb" / "report.json");
    REQUIRE(back.synth.has_value());
    CHECK(back.synth->lut == r.lut);
    CHECK(back.synth->carry == r.carry);
    CHECK(back.synth->ff == r.ff);
    CHECK(back.synth->logic_levels == r.logic_levels);
    CHECK(back.synth->luts_by_size == r.luts_by_size);
    CHECK(back.cost_estimate == estimate);

    VerilogModel piped(logic, "layer", dir / "piped", {.latency_cutoff = 1.5});
    REQUIRE(piped.latency() > 0);
    SynthReport p = synthesize(piped, options("xcup"));
    CHECK(p.family == "xcup");
    CHECK(p.ff > 0);

    SynthReport g = synthesize(comb, options("generic"));
    long by_size = 0;
    for (auto& [size, n] : g.luts_by_size) by_size += n;
    CHECK(g.lut == by_size);
    CHECK(g.carry == 0);  // the generic mapping has no carry chains: adders become LUTs
    CHECK(g.lut > r.lut);
}

TEST_CASE("synthesis errors name the problem", "[yosys]") {
    fs::path dir = synth_test::scratch("errors");
    new_trace();
    FixedVariable a = input(kif{0, 4, 0});
    write_verilog(comb_trace({a}, {a + a + a}), dir / "three.v");

    CHECK_THROWS_WITH(synthesize(dir / "three.v", options("xc7", "nope")),
                      Catch::Contains("defines no module 'nope'") && Catch::Contains("three"));
    CHECK_THROWS_WITH(synthesize(dir / "missing.v"), Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(synthesize(dir / "three.v", options("xc9")), Catch::Contains("unknown family 'xc9'"));
    SynthOptions no_yosys;
    no_yosys.yosys = (dir / "no-yosys-here").string();
    CHECK_THROWS_WITH(synthesize(dir / "three.v", no_yosys), Catch::Contains("apt-get install yosys"));

    std::ofstream(dir / "broken.v") << "module broken(input wire a, output wire y);\n  assign y = a +;\nendmodule\n";
    CHECK_THROWS_WITH(synthesize(dir / "broken.v"), Catch::Contains("Yosys failed") && Catch::Contains("ERROR"));

    SynthOptions tiny;
    tiny.timeout_seconds = 0.05;
    CHECK_THROWS_WITH(synthesize(dir / "three.v", tiny), Catch::Contains("did not finish"));
}

// The pipeline's register-bit count is its flip-flop count: the placement registers only bits
// that vary and that an output depends on, and bits an adder copies ride on their source's
// chain, which is what synthesis keeps. Two layers through CMVM with relu and a truncating
// quantizer (constant prefixes, copied low bits, dropped LSBs), at three pipeline conventions.
TEST_CASE("pipelined modules: register bits == Yosys flip-flops (generic)", "[yosys][pipeline]") {
    fs::path dir = synth_test::scratch("register_bits");
    new_trace();
    std::vector<FixedVariable> xs;
    for (int j = 0; j < 8; ++j) xs.push_back(input(kif{0, 4, 2}));
    FixedVariableArray x(xs);
    FixedVariableArray h =
        quantize(relu(matmul(x, constant(synth_test::small_matrix()))), kif{0, 5, 0}, Round::TRN, Overflow::WRAP);
    FixedVariableArray w2 = constant({{1.5, -2.0}, {0.25, 3.0}, {-1.0, 0.75}, {2.0, 1.0}});
    CombLogic logic = comb_trace({x}, {matmul(h, w2)});
    const std::vector<VerilogOptions> conventions = {{.latency_cutoff = 3},
                                                     {.latency = 4, .register_inputs = true, .register_outputs = true},
                                                     {.latency_cutoff = 8, .latency = 5, .register_outputs = true}};
    std::vector<fs::path> files;
    std::vector<long> bits;
    for (std::size_t c = 0; c < conventions.size(); ++c) {
        fs::path file = dir / fmt::format("pipe{}.v", c);
        VerilogModule m = write_verilog(logic, file, conventions[c]);
        CHECK(m.pipeline.register_bits > 0);
        CHECK(m.text.find(fmt::format("{} register bits", m.pipeline.register_bits)) != std::string::npos);
        files.push_back(file);
        bits.push_back(m.pipeline.register_bits);
    }
    // The generic flow: synth_xilinx would map register chains of three or more to SRL16E shift
    // registers (LUTs), which then are not flip-flops (docs/pipeline.md).
    std::vector<SynthReport> r = synthesize_all(files, options("generic"), 2);
    REQUIRE(r.size() == files.size());
    // Yosys may also merge two flip-flops that hold the same function of different nodes (bit 0
    // of a + b and of a - b): the count is exact but for those (a few bits), never below Yosys'.
    for (std::size_t c = 0; c < files.size(); ++c) {
        INFO(files[c].string() << ": " << bits[c] << " register bits, " << r[c].ff << " flip-flops");
        CHECK(r[c].ff <= bits[c]);
        CHECK(bits[c] - r[c].ff <= std::max(2L, bits[c] / 50));
    }
}
