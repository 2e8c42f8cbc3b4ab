// Writes the seed corpus (tests/fuzz/corpus/<target>/) with the library's own writers, so the
// seeds are what fixvar really reads. Hidden; run after a format changes:
//   build/tests/test_fuzz "[.corpus]"
#include <catch2/catch.hpp>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/report.hpp>
#include <fixvar/cmvm/problem.hpp>
#include <fixvar/core/file.hpp>
#include <fixvar/fixvar.hpp>

#include "fuzz/corpus.hpp"
#include "ir/random_program.hpp"

using namespace fixvar;
namespace fs = std::filesystem;

namespace {

void seed(const std::string& target, const std::string& name, std::string_view bytes) {
    fs::path dir = fuzz::fuzz_dir() / "corpus" / target;
    fs::create_directories(dir);
    write_file((dir / name).string(), bytes);
}

std::string file_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

CombLogic random_program_logic(std::uint64_t s) {
    randprog::Program p = randprog::make(s);
    std::vector<FixedVariable> in(p.values.begin(), p.values.begin() + long(p.inputs.size()));
    std::vector<FixedVariable> out;
    for (int o : p.outputs) out.push_back(p.values[std::size_t(o)]);
    return comb_trace(in, out);
}

// A small dense layer whose constant product went through CMVM, then ReLU and a quantizer.
CombLogic dense_layer() {
    FixedVariableArray x = input({3}, FormatArray({kif{0, 0, 1}, kif{0, 2, 3}, kif{1, 3, 0}}));
    FixedVariableArray w = constant({-2.0, -0.75, 0.5, 1.25, 3.0, -1.0}, {3, 2});
    return comb_trace({x}, {quantize(relu(dense(x, w)), kif{0, 3, 1}, Round::RND, Overflow::SAT)});
}

SynthReport synth_report() {
    SynthReport r;
    r.top = "layer";
    r.family = "xc7";
    r.luts_by_size = {{"LUT2", 7}, {"LUT3", 4}, {"LUT6", 12}};
    r.lut = 23;
    r.carry = 5;
    r.logic_levels = 6;
    r.seconds = 0.875;
    r.yosys_version = "Yosys 0.23";
    r.cells_by_type = {{"CARRY4", 5}, {"LUT2", 7}, {"LUT3", 4}, {"LUT6", 12}};
    r.script = "synth_xilinx -flatten -nodsp -noiopad\n";
    r.log_path = "out/layer/yosys_layer_xc7/yosys.log";
    return r;
}

}  // namespace

TEST_CASE("write the seed corpus", "[.corpus]") {
    // .cmvm: three small benchmark problems, two hand-written edge cases (fractional weights,
    // negative exponents) and one that the parser rejects.
    for (const char* f : {"uniform_8x8_b2_int8_p", "uniform_8x8_b8_int8_p", "hgq_32x5_hetero_p"})
        seed("cmvm", std::string(f) + ".cmvm",
             file_bytes(fs::path(FIXVAR_SOURCE_DIR) / "bench/data/cmvm" / (std::string(f) + ".cmvm")));
    seed("cmvm", "fractions.cmvm", "cmvm 1\nname a\nshape 2 2\nin 1 3 0\nin 0 4 0\nrow 3 5\nrow -7 0.5\n");
    seed("cmvm", "negative_f.cmvm", "cmvm 1\nname b\nshape 1 3\nin 1 -2 6\nrow 0.125 -3 1024\n");
    seed("cmvm", "bad_rows.cmvm", "cmvm 1\nname c\nshape 2 1\nin 1 1 1\nin 0 2 0\nrow 1\n");

    // Graph text: random programs over every op, and a CMVM-optimized layer.
    for (std::uint64_t s = 1; s <= 6; ++s)
        seed("graph", fmt::format("program_{}.txt", s), random_program_logic(s).dump());
    CombLogic layer = dense_layer();
    seed("graph", "dense_layer.txt", layer.dump());

    // .npy: every dtype family save_npy writes, a 0-d and an empty array; one format 2.0 file.
    seed("npy", "f8_2x3.npy", format_npy({{2, 3}, {0, 0.25, -0.5, 1e300, -0.0, 5e-324}, "<f8"}));
    seed("npy", "f4_be.npy", format_npy({{2}, {1.5, -2}, ">f4"}));
    seed("npy", "i2.npy", format_npy({{3}, {-32768, 0, 32767}, "<i2"}));
    seed("npy", "u8.npy", format_npy({{1, 1}, {9007199254740992.0}, "<u8"}));
    seed("npy", "b1_0d.npy", format_npy({{}, {1}, "|b1"}));
    seed("npy", "empty.npy", format_npy({{0, 4}, {}, "<i8"}));
    std::string v1 = format_npy({{2}, {-1, 7}, "|i1"});
    std::string v2 =
        v1.substr(0, 6) + std::string("\x02\x00", 2) + v1.substr(8, 2) + std::string(2, '\0') + v1.substr(10);
    seed("npy", "v2_i1.npy", v2);
    std::string v3 = v2;
    v3[6] = '\x03';
    seed("npy", "v3_i1.npy", v3);
    std::string f2 = format_npy({{2}, {15360, 1}, "<i2"});  // the bits of float16 1.0 and 2^-24
    f2.replace(f2.find("<i2"), 3, "<f2");
    seed("npy", "f2.npy", f2);

    // synth.json and report.json as write_synth_json / write_report write them.
    SynthReport synth = synth_report();
    seed("synth_json", "layer_xc7.json", backend::synth_json(synth));
    SynthReport generic = synth;
    generic.family = "generic";
    generic.luts_by_size = {{"LUT6", 30}};
    generic.lut = 30;
    generic.cells_by_type.clear();
    seed("synth_json", "generic.json", backend::synth_json(generic));
    seed("report_json", "layer.json", backend::report_json(make_report(layer, "layer", 0, &synth)));
    seed("report_json", "program_1.json", backend::report_json(make_report(random_program_logic(1), "program_1")));

    // Emitted modules: sidecar, NUL, Verilog; combinational and pipelined.
    auto emitted = [&](const std::string& name, const CombLogic& logic, const backend::VerilogOptions& o) {
        backend::VerilogModule m = backend::emit_verilog(logic, name, o);
        seed("emitted_module", name + ".txt", backend::sidecar_json(m) + std::string(1, '\0') + m.text);
    };
    emitted("layer", layer, {});
    emitted("program_2", random_program_logic(2), {});
    emitted("layer_pipelined", layer, {.latency_cutoff = 2});

    // Scalars: selector byte, then the text.
    const std::pair<char, const char*> scalars[] = {
        {0, "-0.375"},  {0, "1.5e-3"},   {0, "12"},      {1, "-170141183460469231731687303715884105728"},
        {1, "42"},      {2, "RND_CONV"}, {3, "SAT_SYM"}, {4, "adders"},
        {5, "improved"}};
    for (auto& [which, text] : scalars)
        seed("scalars", fmt::format("{}_{}.txt", int(which), std::string(text).substr(0, 12)),
             std::string(1, which) + text);
}
