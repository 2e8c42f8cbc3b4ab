// VerilogModel API, sidecar, determinism, lint, and the missing-Verilator error.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/context.hpp>
#include <fixvar/trace/variable.hpp>

#include <nlohmann/json.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;

namespace {

CombLogic small_mlp() {
    new_trace();
    auto x0 = input(kif{1, 3, 4}), x1 = input(kif{0, 2, 5}), x2 = input(kif{1, 40, 40});
    auto h0 = relu(x0 * 1.375 - x1 * 0.625 + 0.5);
    auto h1 = quantize(x0 * x1 + h0, kif{1, 4, 3}, Round::RND_CONV, Overflow::SAT);
    auto y0 = max(h0, h1) - 0.25;
    auto y1 = where(h1 > x0, h1, -h0);
    auto y2 = quantize(x2 * 3 - (x0 << 20), kif{1, 50, 30}, Round::RND, Overflow::WRAP);
    return comb_trace({x0, x1, x2}, {y0, y1, constant(0), y2, x2 < x0});
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("emitted text is deterministic and has the fixed port convention", "[backend]") {
    CombLogic a = small_mlp(), b = small_mlp();  // traced twice: same graph
    VerilogModule ma = emit_verilog(a, "mlp"), mb = emit_verilog(b, "mlp");
    CHECK(ma.text == mb.text);
    VerilogModule pa = emit_verilog(a, "mlp", {.latency_cutoff = 2}),
                  pb = emit_verilog(b, "mlp", {.latency_cutoff = 2});
    CHECK(pa.text == pb.text);
    CHECK(pa.clocked);
    CHECK(pa.latency > 0);
    CHECK(ma.latency == 0);
    // Ports: elements in order, LSB first, exactly k+i+f bits each; constant zero takes none.
    const PortLayout& p = ma.ports;
    REQUIRE(p.inputs.size() == 3);
    CHECK(p.inputs[0].offset == 0);
    CHECK(p.inputs[0].width == 8);
    CHECK(p.inputs[1].offset == 8);
    CHECK(p.inputs[2].offset == 15);
    CHECK(p.in_bits == 8 + 7 + 81);
    REQUIRE(p.outputs.size() == 5);
    CHECK(p.outputs[2].width == 0);
    CHECK(p.outputs[3].offset == p.outputs[2].offset);
    CHECK(ma.text.find(fmt::format("input wire [{}:0] inp", p.in_bits - 1)) != std::string::npos);
    CHECK(ma.text.find(fmt::format("output wire [{}:0] out", p.out_bits - 1)) != std::string::npos);
    CHECK(pa.text.find("input wire clk") != std::string::npos);
    CHECK(ma.text.find("clk") == std::string::npos);
    auto json = nlohmann::json::parse(sidecar_json(pa));
    CHECK(json["name"] == "mlp");
    CHECK(json["latency"] == pa.latency);
    CHECK(json["clocked"] == true);
    CHECK(json["inputs"][0] == nlohmann::json{{"k", 1}, {"i", 3}, {"f", 4}, {"offset", 0}, {"width", 8}});
    CHECK(json["outputs"][2]["width"] == 0);
    CHECK(json["outputs"][2]["value"] == 0);
    CHECK(json["inp_bits"] == p.in_bus());
    CHECK(json["out_bits"] == p.out_bus());
}

TEST_CASE("bad module names and a missing Verilator give clear errors", "[backend]") {
    CombLogic logic = small_mlp();
    CHECK_THROWS_WITH(emit_verilog(logic, "2fast"), Catch::Contains("not a Verilog identifier"));
    CHECK_THROWS_WITH(emit_verilog(logic, "module"), Catch::Contains("keyword"));
    for (const char* sv :
         {"var", "logic", "bit", "int", "do", "break", "unique", "assert", "enum", "always_ff", "interconnect", "xnor"})
        CHECK_THROWS_WITH(emit_verilog(logic, sv), Catch::Contains("is a SystemVerilog keyword"));
    CHECK_NOTHROW(emit_verilog(logic, "logic_m"));
    VerilatorOptions missing;
    missing.verilator = "/nonexistent/bin/verilator";
    VerilogModel model(logic, "mlp", test::scratch("missing"), {}, missing);
    CHECK_NOTHROW(model.write());
    CHECK_THROWS_WITH(model.compile(), Catch::Contains("apt-get install verilator"));
    // Also through PATH lookup.
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    const char* env = std::getenv("FIXVAR_VERILATOR");
    std::string saved_env = env ? env : "";
    ::setenv("PATH", "/nonexistent", 1);
    ::unsetenv("FIXVAR_VERILATOR");
    CHECK_THROWS_WITH(find_verilator(), Catch::Contains("not found on PATH"));
    ::setenv("PATH", path.c_str(), 1);
    if (env) ::setenv("FIXVAR_VERILATOR", saved_env.c_str(), 1);
}

TEST_CASE("VerilogModel: write, lint, compile, predict and verify (pipelined, > 64 bits)", "[verilator]") {
    CombLogic logic = small_mlp();
    auto dir = test::scratch("model");
    VerilogModel model(logic, "mlp", dir, {.latency_cutoff = 2});
    model.write();
    REQUIRE(std::filesystem::exists(dir / "mlp.v"));
    REQUIRE(std::filesystem::exists(dir / "mlp.json"));
    CHECK(slurp(dir / "mlp.json") == sidecar_json(model.module()));
    // The emitted file alone passes `verilator --lint-only -Wall`.
    std::string lint =
        fmt::format("cd '{}' && {} --lint-only -Wall mlp.v > lint.log 2>&1", dir.string(), find_verilator().string());
    CHECK(std::system(lint.c_str()) == 0);
    CHECK(slurp(dir / "lint.log").empty());

    model.compile();
    INFO("latency " << model.latency() << " cycles");
    Vectors v = model.test_vectors(2000, 5);
    VerifyResult r = model.verify(v);
    INFO(r.message);
    CHECK(r.ok);
    CHECK(r.samples == v.batch);

    // predict on values == logic.predict.
    std::vector<std::vector<double>> samples = {{1.25, 0.5, -3.0}, {-8, 3.96875, 1e10}, {7.9375, 0, -5.5}};
    CHECK(model.predict(samples) == logic.predict(samples));
    CHECK(model.verify(samples).ok);
    // Float data quantized to the port formats: same quantization in RTL vectors and predict.
    std::vector<std::vector<double>> floats = {{0.3, 0.1, -1e9}, {-9.7, 5.0, 1.0 / 3}};
    CHECK_THROWS_WITH(model.verify(floats), Catch::Contains("verilog: sample 0, input port 0"));
    QuantizeInputs q{Round::RND_CONV, Overflow::SAT};
    CHECK(model.predict(floats, q) == logic.predict(floats, q));
    CHECK(model.verify(floats, q).ok);

    // A mismatch is reported with sample, output and both values: compare against a wrong oracle.
    std::vector<i128> rtl = model.predict_mantissas(v);
    rtl[3 * logic.output_count() + 1] += 1;
    VerifyResult bad = compare_outputs(logic, v, rtl, "mlp");
    CHECK_FALSE(bad.ok);
    CHECK(bad.sample == 3);
    CHECK(bad.output == 1);
    CHECK_THAT(bad.message, Catch::Contains("sample 3, output 1: RTL gives"));
    CHECK(bad.mismatched_samples == 1);
    CHECK(bad.mismatched_outputs == 1);
    // Every mismatch is counted; the first stays the one reported.
    rtl[3 * logic.output_count()] -= 1;
    rtl[7 * logic.output_count() + 1] += 1;
    VerifyResult worse = compare_outputs(logic, v, rtl, "mlp");
    CHECK(worse.sample == 3);
    CHECK(worse.output == 0);
    CHECK(worse.mismatched_samples == 2);
    CHECK(worse.mismatched_outputs == 3);
    CHECK_THAT(worse.message, Catch::EndsWith(fmt::format("; 2 of {} samples differ (3 outputs)", v.batch)));
    CHECK(r.mismatched_samples == 0);
    CHECK(r.mismatched_outputs == 0);
}
