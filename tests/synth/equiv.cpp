// Formal equivalence: a CMVM adder graph against a naive multiply-accumulate of the same
// matrix (proven), mutated copies (different, with a counterexample), pipelined against
// combinational (proven, also with saturating quantizers and at a few hundred adders), broken
// pipelines (never proven), a pipeline of regrouped sums against its graph's combinational
// module (proven), a tiny time limit (unknown), mismatched ports (error), the
// simulation fallback, and the CLI's exit codes.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <sys/wait.h>

#include <random>

#include <fixvar/backend/equiv.hpp>
#include <fixvar/backend/yosys.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// y_j = sum_i x_i * W[i][j] written the obvious way, with the emitted module's port layout.
std::string naive_mac(const std::string& name, const VerilogModule& m, const std::vector<std::vector<double>>& W) {
    const PortLayout& p = m.ports;
    std::string s = fmt::format("module {} (input wire [{}:0] inp, output wire [{}:0] out);\n", name, p.in_bus() - 1,
                                p.out_bus() - 1);
    for (std::size_t i = 0; i < p.inputs.size(); ++i)
        s += fmt::format("  wire signed [{}:0] x{} = inp[{}:{}];\n", p.inputs[i].width - 1, i,
                         p.inputs[i].offset + p.inputs[i].width - 1, p.inputs[i].offset);
    for (std::size_t j = 0; j < p.outputs.size(); ++j) {
        const PortElement& e = p.outputs[j];
        REQUIRE(e.format.f <= 0);  // integer inputs and weights: the mantissa is y >> -f
        s += fmt::format("  wire signed [19:0] y{} = 20'sd0", j);
        for (std::size_t i = 0; i < W.size(); ++i)
            s += fmt::format(" + x{} * {}20'sd{}", i, W[i][j] < 0 ? "-" : "", std::abs(int(W[i][j])));
        s += ";\n";
        if (e.width > 0)
            s += fmt::format("  assign out[{}:{}] = y{}[{}:{}];\n", e.offset + e.width - 1, e.offset, j,
                             -e.format.f + e.width - 1, -e.format.f);
    }
    return s + "endmodule\n";
}

/// naive.v and graph.v of the 8x4 matrix on 8-bit inputs: equal, but minutes of SAT sweeping.
void hard_pair(const fs::path& dir) {
    VerilogModule m = write_verilog(synth_test::cmvm_layer(synth_test::small_matrix()), dir / "graph.v");
    std::ofstream(dir / "naive.v") << naive_mac("naive", m, synth_test::small_matrix());
}

/// A trained-style MLP: dense layers of random small weights (about half of them zero), each
/// hidden layer followed by relu and a saturating quantizer (Yosys' opt turns the register
/// after such a clamp into a register with a synchronous reset, $sdff).
CombLogic saturating_mlp(const std::vector<int>& sizes, std::uint64_t seed) {
    new_trace();
    std::mt19937_64 rng(seed);
    FixedVariableArray x = input({sizes[0]}, kif{0, 3, 3});
    FixedVariableArray h = x;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        std::vector<double> w;
        for (int j = 0; j < sizes[l] * sizes[l + 1]; ++j)
            w.push_back(rng() % 2 ? double(int(rng() % 15) - 7) / 8 : 0.0);
        h = dense(h, constant(w, {sizes[l], sizes[l + 1]}));
        if (l + 2 < sizes.size()) h = quantize(relu(h), kif{0, 3, 2}, Round::TRN, Overflow::SAT);
    }
    return comb_trace({x}, {h});
}

/// `text` with the first register assignment `q <= d;` going through one more register.
std::string extra_register(const std::string& text) {
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(R"((\w+) <= ([^;]+);)")));
    std::string edited = m.prefix().str() + m[1].str() + " <= fixvar_extra;" + m.suffix().str();
    std::size_t ports_end = edited.find(");\n", edited.find("module "));
    REQUIRE(ports_end != std::string::npos);
    return edited.insert(ports_end + 3,
                         "  reg [1023:0] fixvar_extra;\n  always @(posedge clk) fixvar_extra <= " + m[2].str() + ";\n");
}

/// `text` with bit 0 of its first output assignment inverted.
std::string flipped_output_bit(const std::string& text) {
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(R"(assign (out\[[^\]]+\]) = ([^;]+);)")));
    return m.prefix().str() + "assign " + m[1].str() + " = (" + m[2].str() + ") ^ 1'b1;" + m.suffix().str();
}

EquivOptions with_timeout(double seconds) {
    EquivOptions o;
    o.timeout_seconds = seconds;
    return o;
}

}  // namespace

TEST_CASE("equiv: CMVM adder graph == naive multiply-accumulate, mutations are caught", "[yosys][equiv]") {
    fs::path dir = synth_test::scratch("equiv_cmvm");
    // An adder graph against multipliers is hard for SAT (DESIGN.md §9): 3x3 of the small
    // matrix on 4-bit inputs.
    std::vector<std::vector<double>> W = synth_test::small_matrix();
    W.resize(3);
    for (auto& row : W) row.resize(3);
    VerilogModule m = write_verilog(synth_test::cmvm_layer(W, kif{1, 3, 0}), dir / "graph.v");
    std::ofstream(dir / "naive.v") << naive_mac("naive", m, W);

    EquivResult proven = equiv(dir / "naive.v", dir / "graph.v");
    INFO(proven.message);
    CHECK(proven.status == EquivStatus::proven);
    CHECK(proven.method == "ABC iprove (SAT sweeping)");

    // One `+` turned into `-`, and one input bit dropped: each must be caught with inputs and
    // both outputs of a disagreeing sample.
    std::string text = read(dir / "graph.v");
    std::size_t plus = text.find(" + ");
    REQUIRE(plus != std::string::npos);
    std::string minus = text;
    minus[plus + 1] = '-';
    std::string dropped = text;
    std::size_t bit = dropped.find("= inp[3:0];");
    REQUIRE(bit != std::string::npos);
    dropped.replace(bit, 11, "= {inp[3:1], 1'b0};");
    for (auto& [file, mutant] : {std::pair{"minus.v", minus}, std::pair{"dropped.v", dropped}}) {
        std::ofstream(dir / file) << mutant;
        EquivOptions o;
        o.top_b = "graph";
        EquivResult r = equiv(dir / "naive.v", dir / file, o);
        INFO(file << ": " << r.message);
        CHECK(r.status == EquivStatus::different);
        REQUIRE(r.counterexample.inputs.size() == 1);
        CHECK(r.counterexample.inputs[0].name == "inp");
        CHECK(r.counterexample.inputs[0].bits.size() == std::size_t(m.ports.in_bus()));
        REQUIRE(r.counterexample.outputs_a.size() == 1);
        REQUIRE(r.counterexample.outputs_b.size() == 1);
        CHECK(r.counterexample.outputs_a[0].bits != r.counterexample.outputs_b[0].bits);
        CHECK(r.counterexample.text().find("A output  out = 0x") != std::string::npos);
    }
}

TEST_CASE("equiv: pipelined == combinational delayed by its latency (proven), simulation fallback", "[yosys][equiv]") {
    fs::path dir = synth_test::scratch("equiv_pipe");
    CombLogic logic = synth_test::cmvm_layer(synth_test::small_matrix());
    VerilogModel comb(logic, "layer", dir / "comb");
    VerilogModel piped(logic, "layer", dir / "piped", {.latency_cutoff = 1.5});
    REQUIRE(piped.latency() >= 2);
    EquivResult r = equiv(comb, piped);
    INFO(r.message);
    CHECK(r.status == EquivStatus::proven);
    CHECK(r.method.find("pipeline II=1, latency " + std::to_string(piped.latency())) != std::string::npos);

    // Claiming the wrong latency is caught by the register-stage check.
    EquivOptions late;
    late.latency = piped.latency() - 1;
    CHECK_THROWS_WITH(equiv(comb, piped, late), Catch::Contains("pass --latency " + std::to_string(piped.latency())));

    // A register added on one output only: outputs leave after different numbers of cycles, so
    // no proof, although the function with registers as wires is the same.
    std::string text = read(dir / "piped" / "layer.v");
    // (a node's wire n<id>, or its copy n<id>_p<stage> when the output is carried to the last stage)
    std::regex first_output(R"(  assign (out\[(\d+):0\]) = (n\d+(?:_p\d+)?);)");
    std::smatch m;
    REQUIRE(std::regex_search(text, m, first_output));
    std::string extra = fmt::format("  reg [{}:0] extra;\n  always @(posedge clk) extra <= {};\n  assign {} = extra;",
                                    m[2].str(), m[3].str(), m[1].str());
    std::ofstream(dir / "unbalanced.v") << m.prefix().str() << extra << m.suffix().str();
    EquivOptions o;
    o.work_dir = dir / "unbalanced";
    o.latency = piped.latency();
    EquivResult unbalanced = equiv(dir / "comb" / "layer.v", dir / "unbalanced.v", o);
    INFO(unbalanced.message);
    CHECK(unbalanced.status == EquivStatus::unknown);
    CHECK(unbalanced.message.find("different numbers of cycles") != std::string::npos);

    // The adder limit is for two different structures: a pipeline against its own module is
    // settled by structural hashing whatever its size.
    EquivOptions small_limit;
    small_limit.max_sat_adders = 5;
    EquivResult hashed = equiv(comb, piped, small_limit);
    CHECK(hashed.status == EquivStatus::proven);
    CHECK(hashed.method.find("structural hashing") != std::string::npos);
    // A must be the combinational one.
    CHECK_THROWS_WITH(equiv(dir / "piped" / "layer.v", dir / "comb" / "layer.v"),
                      Catch::Contains("A must be the combinational module"));
    // Simulation never claims a proof.
    const std::uint64_t seed = 7;
    INFO("seed " << seed);
    EquivResult sim = equiv_simulate(comb, piped, 300, seed, dir / "sim");
    CHECK(sim.status == EquivStatus::unknown);
    CHECK(sim.message == "not proven; 305 vectors agree");
}

TEST_CASE("equiv: a pipelined MLP with saturating quantizers == its combinational module, broken copies are not",
          "[yosys][equiv]") {
    fs::path dir = synth_test::scratch("equiv_mlp");
    CombLogic logic = saturating_mlp({16, 16, 8}, 18);
    VerilogModel comb(logic, "mlp", dir / "comb");
    VerilogModel piped(logic, "mlp", dir / "piped", {.latency_cutoff = 3});
    REQUIRE(piped.latency() >= 3);
    // What made the proof fail before: Yosys' opt merges a clamp into the register after it.
    piped.write();
    std::ofstream(dir / "sdff.ys") << "read_verilog " << (dir / "piped" / "mlp.v").string()
                                   << "\nproc\nopt\nselect -assert-min 1 t:$sdff\n";
    YosysRun sdff = run_yosys(dir / "sdff.ys", dir / "sdff.log", dir, {});
    CHECK(sdff.exit_code == 0);
    EquivResult r = equiv(comb, piped);
    INFO(r.message);
    CHECK(r.status == EquivStatus::proven);
    CHECK(r.method.find("latency " + std::to_string(piped.latency())) != std::string::npos);

    // One register more on one path: the paths through it cross one register more than the
    // others, so no proof (the function with registers as wires is still the same).
    std::string text = read(dir / "piped" / "mlp.v");
    std::ofstream(dir / "extra.v") << extra_register(text);
    EquivOptions o;
    o.top_b = "mlp";
    o.latency = piped.latency();
    o.work_dir = dir / "extra";
    EquivResult extra = equiv(dir / "comb" / "mlp.v", dir / "extra.v", o);
    INFO(extra.message);
    CHECK(extra.status == EquivStatus::unknown);
    CHECK(extra.message.find("not a plain pipeline") != std::string::npos);

    // One output bit inverted: different, with a counterexample.
    std::ofstream(dir / "flipped.v") << flipped_output_bit(text);
    o.work_dir = dir / "flipped";
    EquivResult flipped = equiv(dir / "comb" / "mlp.v", dir / "flipped.v", o);
    INFO(flipped.message);
    CHECK(flipped.status == EquivStatus::different);
    CHECK(flipped.counterexample.outputs_a.size() == 1);
}

TEST_CASE("equiv: a pipeline of a few hundred adders is proven in seconds", "[yosys][equiv]") {
    fs::path dir = synth_test::scratch("equiv_mid");
    CombLogic logic = saturating_mlp({32, 32, 16, 10}, 5);
    REQUIRE(logic.stats().adders() >= 300);
    VerilogModel comb(logic, "mid", dir / "comb");
    VerilogModel piped(logic, "mid", dir / "piped", {.latency_cutoff = 4});
    EquivResult r = equiv(comb, piped);
    INFO(r.message);
    CHECK(r.status == EquivStatus::proven);
    CHECK(r.seconds < 60);
}

TEST_CASE("equiv: a pipeline of sums regrouped by stage == its graph's combinational module", "[yosys][equiv]") {
    // The regrouped sums add the same terms in another order: proven against the combinational
    // module of the same graph by hashing, as any pipeline (against the logic's own adders it
    // would be an arithmetic proof, which SAT sweeping does not settle in minutes).
    fs::path dir = synth_test::scratch("equiv_regrouped");
    CombLogic logic = saturating_mlp({16, 16, 8}, 18);
    VerilogModel piped(logic, "mlp", dir / "piped", {.latency = 4, .regroup_sums = true});
    REQUIRE(piped.module().regrouped);
    VerilogModel comb(piped.emitted_logic(), "mlp", dir / "comb");
    EquivResult r = equiv(comb, piped);
    INFO(r.message);
    CHECK(r.status == EquivStatus::proven);
}

TEST_CASE("equiv: a tiny time limit gives unknown (never proven), mismatched ports are an error", "[yosys][equiv]") {
    fs::path dir = synth_test::scratch("equiv_limits");
    hard_pair(dir);
    EquivResult r = equiv(dir / "naive.v", dir / "graph.v", with_timeout(1));
    INFO(r.message);
    CHECK(r.status == EquivStatus::unknown);
    CHECK(r.seconds < 30);
    // Over the adder limit, two different structures are not attempted (hashing leaves gates).
    EquivOptions small_limit;
    small_limit.max_sat_adders = 5;
    EquivResult skipped = equiv(dir / "naive.v", dir / "graph.v", small_limit);
    CHECK(skipped.status == EquivStatus::unknown);
    CHECK(skipped.message.find("not attempted") != std::string::npos);
    CHECK(skipped.message.find("SAT does not scale") != std::string::npos);

    std::ofstream(dir / "narrow.v") << "module narrow(input wire [46:0] inp, output wire [47:0] out);\n"
                                       "  assign out = inp;\nendmodule\n";
    CHECK_THROWS_WITH(equiv(dir / "graph.v", dir / "narrow.v"),
                      Catch::Contains("Yosys failed") && Catch::Contains("ERROR"));
    CHECK_THROWS_WITH(equiv(dir / "graph.v", dir / "absent.v"), Catch::Contains("does not exist"));
}

TEST_CASE("fixvar equiv: exit codes 0 proven, 1 different, 2 error, 3 unknown", "[yosys][equiv][cli]") {
    fs::path dir = synth_test::scratch("equiv_cli");
    fs::path exe = fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "bin" / "fixvar";
    std::ofstream(dir / "add.v") << "module add(input wire [7:0] inp, output wire [4:0] out);\n"
                                    "  assign out = inp[3:0] + inp[7:4];\nendmodule\n";
    std::ofstream(dir / "add2.v") << "module add2(input wire [7:0] inp, output wire [4:0] out);\n"
                                     "  assign out = inp[7:4] + inp[3:0];\nendmodule\n";
    std::ofstream(dir / "sub.v") << "module sub(input wire [7:0] inp, output wire [4:0] out);\n"
                                    "  assign out = inp[3:0] - inp[7:4];\nendmodule\n";
    auto run = [&](const std::string& args) {
        std::string cmd = exe.string() + " equiv " + args + " > " + (dir / "out.txt").string() + " 2>&1";
        int st = std::system(cmd.c_str());
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    };
    auto d = dir.string();
    CHECK(run(d + "/add.v " + d + "/add2.v") == 0);
    CHECK(read(dir / "out.txt").find("proven equivalent") != std::string::npos);
    CHECK(run(d + "/add.v " + d + "/sub.v") == 1);
    CHECK(read(dir / "out.txt").find("counterexample:") != std::string::npos);
    CHECK(run(d + "/add.v " + d + "/missing.v") == 2);
    CHECK(read(dir / "out.txt").find("does not exist") != std::string::npos);
    hard_pair(dir);
    CHECK(run(d + "/naive.v " + d + "/graph.v --timeout 1") == 3);
}
