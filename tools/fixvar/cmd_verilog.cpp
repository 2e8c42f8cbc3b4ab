// `fixvar verilog MODEL.txt --name N --out DIR [--latency-cutoff X] [--latency L]
//  [--register-inputs] [--register-outputs] [--regroup-sums] [--synth FAMILY [--max-levels N]] [--verify N]`:
// emits a saved model (CombLogic::dump text) as Verilog + JSON sidecar + Verilator harness,
// and optionally verifies N random vectors (plus range corners) bit-exactly with Verilator.
#include <fmt/format.h>
#include <cstdio>
#include <optional>

#include <fixvar/backend/dot.hpp>
#include <fixvar/backend/level_budget.hpp>
#include <fixvar/backend/report.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/file.hpp>

#include "commands.hpp"

namespace fixvar::cli {

namespace {

// --max-levels: the search of backend::fit_level_budget, one line per candidate; the
// chosen design's cut-off and Yosys numbers.
template <class Args>
backend::LevelBudgetPoint fit_levels(const CombLogic& logic, const Args& a, const backend::PipelineOptions& po) {
    if (!a.latency || a.synth.empty() || a.cutoff > 0)
        fail("verilog", "--max-levels needs --latency and --synth, and takes the place of --latency-cutoff");
    SynthOptions so;
    so.family = a.synth;
    backend::LevelBudget fit = backend::fit_level_budget(logic, a.name, a.out, po, a.max_levels, so);
    for (const backend::LevelBudgetPoint& p : fit.tried)
        if (p.repeats >= 0)
            fmt::print("  cut-off {:.2f}: the design of cut-off {:.2f}\n", p.cutoff,
                       fit.tried[std::size_t(p.repeats)].cutoff);
        else
            fmt::print("  cut-off {:.2f}: {} register bits, {} FFs, {} LUTs, {} logic levels\n", p.cutoff,
                       p.register_bits, p.synth.ff, p.synth.lut, p.synth.logic_levels);
    fmt::print("at most {} logic levels: cut-off {:.2f}, {} FFs\n", a.max_levels, fit.chosen.cutoff,
               fit.chosen.synth.ff);
    return fit.chosen;
}

// The module's line, the register/clock trade-off to pick from (the same latency with a slower
// clock) and, when its sums were regrouped, the regrouped graph written next to it.
void print_summary(const backend::VerilogModel& model, const CombLogic& logic, const std::string& out,
                   const std::string& name) {
    const backend::VerilogModule& m = model.module();
    fmt::print("wrote {}/{}.v and {}.json: {} inputs, {} outputs, latency {} cycles", out, name, name,
               logic.input_count(), logic.output_count(), model.latency());
    if (m.clocked) fmt::print(" (cut-off {:.2f} levels), {} register bits", m.latency_cutoff, m.pipeline.register_bits);
    fmt::print("\n");
    for (const backend::LongerStages& l : m.pipeline.longer_stages)
        fmt::print("  with a cut-off of {:.2f} levels: {} register bits\n", l.cutoff, l.register_bits);
    if (m.pipeline.register_bits_floor >= 0)
        fmt::print("  with stages of any length: {} register bits\n", m.pipeline.register_bits_floor);
    if (m.regrouped) {
        // Its combinational module is the one to prove this pipeline against (fixvar equiv).
        const auto text = model.dir() / (name + ".regrouped.txt");
        write_file(text, model.emitted_logic().dump(), "verilog");
        fmt::print("  sums regrouped by stage: {} trees, {} register bits before; the graph: {}\n",
                   m.pipeline.regrouped_sums, m.pipeline.register_bits_before_regrouping, text.string());
    }
}

}  // namespace

void add_verilog_commands(CLI::App& app, Action& action) {
    struct Args {
        std::string model, name = "model", out = ".";
        double cutoff = 0;
        std::optional<int> latency;
        bool register_inputs = false, register_outputs = false, regroup = false;
        std::size_t verify = 0;
        std::string synth;
        int max_levels = 0;
        std::uint64_t seed = 1;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("verilog", "Emit a saved model as Verilog (+ JSON sidecar, Verilator harness)");
    cmd->add_option("model", args->model, "saved model (text dump of a CombLogic)")->required();
    cmd->add_option("--name", args->name, "module name (also the file stem)");
    cmd->add_option("--out", args->out, "output directory");
    cmd->add_option("--latency-cutoff", args->cutoff,
                    "at most this many levels of estimated delay per pipeline stage (0: none)");
    cmd->add_option("--latency", args->latency,
                    "pipeline latency in cycles (default: the minimum for the cut-off; alone: the smallest "
                    "cut-off that allows it; 0 and no cut-off: combinational)");
    cmd->add_flag("--register-inputs", args->register_inputs, "register the inputs at the module boundary");
    cmd->add_flag("--register-outputs", args->register_outputs, "register the outputs at the module boundary");
    cmd->add_flag("--regroup-sums", args->regroup,
                  "sum trees cut by a register rank summed again, one partial sum per stage, when that needs fewer "
                  "register bits (fewer FFs, a few more LUTs); the regrouped graph is written as NAME.regrouped.txt");
    cmd->add_option("--verify", args->verify, "verify N random vectors (+ corners) with Verilator");
    cmd->add_option("--synth", args->synth,
                    "also synthesize with Yosys (xc7 | xcup | generic); numbers go to the report")
        ->check(CLI::IsMember({"xc7", "xcup", "generic"}));
    cmd->add_option("--max-levels", args->max_levels,
                    "with --latency and --synth: the cut-off with the fewest flip-flops whose design has at most N "
                    "logic levels between registers (each candidate synthesized)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--seed", args->seed, "seed of the random vectors");
    cmd->callback([args, &action] {
        action = [args] {
            CombLogic logic = CombLogic::parse(read_file(args->model, "verilog"));
            backend::PipelineOptions po{.latency_cutoff = args->cutoff,
                                        .latency = args->latency,
                                        .register_inputs = args->register_inputs,
                                        .register_outputs = args->register_outputs,
                                        .regroup_sums = args->regroup};
            // report.json, report.md and NAME.dot next to the module (with Yosys' numbers if asked;
            // --max-levels synthesized the chosen design already).
            std::optional<SynthReport> synth;
            if (args->max_levels > 0) {
                backend::LevelBudgetPoint chosen = fit_levels(logic, *args, po);
                po.latency_cutoff = chosen.cutoff;
                synth = chosen.synth;
            }
            backend::VerilogModel model(logic, args->name, args->out, po);
            model.write();
            if (!synth && !args->synth.empty()) {
                SynthOptions so;
                so.family = args->synth;
                so.progress = true;
                synth = backend::synthesize(model, so);
            }
            if (synth) backend::write_synth_json(*synth, model.dir() / "synth.json");
            backend::write_report(backend::make_report(model, synth ? &*synth : nullptr), model.dir());
            backend::write_dot(logic, model.dir() / (args->name + ".dot"), args->name);
            print_summary(model, logic, args->out, args->name);
            if (args->verify == 0) return 0;
            model.compile();
            backend::VerifyResult r = model.verify(model.test_vectors(args->verify, args->seed));
            fmt::print("{}\n", r.message);
            return r.ok ? 0 : 1;
        };
    });
}

}  // namespace fixvar::cli
