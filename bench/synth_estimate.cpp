// The cost estimate against Yosys: every public CMVM problem (bench/data/cmvm) is solved,
// emitted and synthesized (xc7); prints per design the estimate (CombLogic::stats().total_cost),
// Yosys LUTs, CARRY4, FFs, logic levels, Yosys seconds and estimate/LUT, then the overall ratio.
//
//   build/bench/bench_synth [--dir bench/data/cmvm] [--out synth_bench] [--jobs 1] [--cached]
//
// Yosys takes ~10 min of CPU for the whole set: --cached reuses each design's synth.json in
// --out when it exists (the Verilog is rewritten; delete --out after changing the optimizer).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/linear.hpp>

namespace fs = std::filesystem;
using namespace fixvar;

int main(int argc, char** argv) {
    std::string dir = std::string(FIXVAR_SOURCE_DIR) + "/bench/data/cmvm", out = "synth_bench";
    int jobs = 1;
    bool cached = false;
    CLI::App app{"cost estimate vs Yosys LUTs on the public CMVM problems"};
    app.add_option("--dir", dir, "directory of .cmvm problems");
    app.add_option("--out", out, "where the Verilog, Yosys files and synth.json go");
    app.add_option("--jobs", jobs, "Yosys runs in parallel");
    app.add_flag("--cached", cached, "reuse synth.json files from an earlier run");
    CLI11_PARSE(app, argc, argv);
    try {
        std::vector<fs::path> problems;
        for (auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".cmvm") problems.push_back(e.path());
        std::sort(problems.begin(), problems.end());
        std::vector<double> estimate;
        std::vector<fs::path> files, to_run;
        for (auto& p : problems) {
            cmvm::Problem prob = cmvm::read_problem(p.string());
            CombLogic logic = solution_logic(prob, cmvm::solve(prob));
            std::string name = p.stem().string();
            fs::path v = fs::path(out) / name / (name + ".v");
            backend::write_verilog(logic, v);
            estimate.push_back(logic.stats().total_cost);
            files.push_back(v);
            if (!(cached && fs::exists(v.parent_path() / "synth.json"))) to_run.push_back(v);
        }
        SynthOptions options;
        options.progress = true;
        for (auto& r : backend::synthesize_all(to_run, options, jobs))
            backend::write_synth_json(r, fs::path(out) / r.top / "synth.json");
        std::printf("%-28s %9s %9s %7s %5s %7s %8s %9s\n", "design", "estimate", "yosys_lut", "carry4", "ff", "levels",
                    "seconds", "est/lut");
        double E = 0, L = 0, worst = 0;
        for (std::size_t j = 0; j < files.size(); ++j) {
            SynthReport r = backend::read_synth_json(files[j].parent_path() / "synth.json");
            double ratio = estimate[j] / double(std::max(1L, r.lut));
            worst = std::max(worst, std::abs(ratio - 1));
            E += estimate[j], L += double(r.lut);
            std::printf("%-28s %9.0f %9ld %7ld %5ld %7d %8.1f %9.3f\n", r.top.c_str(), estimate[j], r.lut, r.carry,
                        r.ff, r.logic_levels, r.seconds, ratio);
        }
        std::printf("%-28s %9.0f %9.0f %7s %5s %7s %8s %9.3f   (worst design off by %.1f%%)\n", "TOTAL", E, L, "", "",
                    "", "", E / std::max(1.0, L), 100 * worst);
    } catch (const Error& e) {
        std::fprintf(stderr, "bench_synth: %s\n", e.what());
        return 2;
    }
}
