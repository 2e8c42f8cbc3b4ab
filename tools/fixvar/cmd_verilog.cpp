// `fixvar verilog MODEL.txt --name N --out DIR [--latency-cutoff X] [--verify N]`:
// emits a saved model (CombLogic::dump text) as Verilog + JSON sidecar + Verilator harness,
// and optionally verifies N random vectors (plus range corners) bit-exactly with Verilator.
#include <fmt/format.h>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fixvar/backend/verilog.hpp>
#include <fixvar/core/error.hpp>

#include "commands.hpp"

namespace fixvar::cli {

void add_verilog_commands(CLI::App& app, Action& action) {
    struct Args {
        std::string model, name = "model", out = ".";
        double cutoff = 0;
        std::size_t verify = 0;
        std::uint64_t seed = 1;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("verilog", "Emit a saved model as Verilog (+ JSON sidecar, Verilator harness)");
    cmd->add_option("model", args->model, "saved model (text dump of a CombLogic)")->required();
    cmd->add_option("--name", args->name, "module name (also the file stem)");
    cmd->add_option("--out", args->out, "output directory");
    cmd->add_option("--latency-cutoff", args->cutoff, "pipeline cut-off in latency levels (0: combinational)");
    cmd->add_option("--verify", args->verify, "verify N random vectors (+ corners) with Verilator");
    cmd->add_option("--seed", args->seed, "seed of the random vectors");
    cmd->callback([args, &action] {
        action = [args] {
            std::ifstream f(args->model);
            if (!f) fail("verilog", "cannot read model file '{}'", args->model);
            std::stringstream text;
            text << f.rdbuf();
            CombLogic logic = CombLogic::parse(text.str());
            backend::VerilogModel model(logic, args->name, args->out, {.latency_cutoff = args->cutoff});
            model.write();
            fmt::print("wrote {}/{}.v and {}.json: {} inputs, {} outputs, latency {} cycles\n",
                        args->out, args->name, args->name, logic.input_count(),
                        logic.output_count(), model.latency());
            if (args->verify == 0) return 0;
            model.compile();
            backend::VerifyResult r = model.verify(model.test_vectors(args->verify, args->seed));
            fmt::print("{}\n", r.message);
            return r.ok ? 0 : 1;
        };
    });
}

}  // namespace fixvar::cli
