// `fixvar equiv A.v B.v [--top-a N] [--top-b N] [--timeout SEC] [--latency L] [--simulate N]`:
// Yosys miter + ABC (structural hashing, SAT sweeping). Exit 0 = proven equivalent, 1 = different
// (counterexample printed), 2 = error, 3 = unknown (timed out, not a plain pipeline, or too large
// for SAT; --simulate then reports "not proven; N vectors agree").
#include <cstdio>

#include <unistd.h>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/equiv.hpp>
#include <fixvar/core/error.hpp>

#include "commands.hpp"

namespace fixvar::cli {

void add_equiv_commands(CLI::App& app, Action& action) {
    struct Args {
        std::string a, b, top_a, top_b;
        double timeout = 60;
        int latency = -1;
        std::size_t simulate = 0;
        std::uint64_t seed = 1;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("equiv",
                                       "Prove two modules equivalent (Yosys miter + ABC); exit 0/1/2/3 = "
                                       "proven/different/error/unknown");
    cmd->add_option("a", args->a, "reference .v (combinational)")->required();
    cmd->add_option("b", args->b, ".v to check (combinational, or a II=1 pipeline of A)")->required();
    cmd->add_option("--top-a", args->top_a, "module of A (default: its only module / file stem)");
    cmd->add_option("--top-b", args->top_b, "module of B");
    cmd->add_option("--timeout", args->timeout,
                    "seconds for the checker (ABC); past it the answer is unknown (exit 3)");
    cmd->add_option("--latency", args->latency, "B's pipeline latency in cycles (default: B's .json sidecar, else 0)");
    cmd->add_option("--simulate", args->simulate,
                    "when SAT gives no answer: Verilator on corners + N random vectors (needs the .json sidecars)");
    cmd->add_option("--seed", args->seed, "seed of the random vectors");
    cmd->callback([args, &action] {
        action = [args] {
            backend::EquivOptions options;
            options.top_a = args->top_a;
            options.top_b = args->top_b;
            options.timeout_seconds = args->timeout;
            options.latency = args->latency;
            backend::EquivResult r = backend::equiv(args->a, args->b, options);
            std::printf("%s [%s, %.1f s]\n", r.message.c_str(), r.method.c_str(), r.seconds);
            if (r.status == EquivStatus::unknown && args->simulate > 0) {
                namespace fs = std::filesystem;
                fs::path dir = fs::temp_directory_path() / fmt::format("fixvar_equiv_sim_{}", ::getpid());
                r = backend::equiv_simulate(backend::read_emitted_module(args->a),
                                            backend::read_emitted_module(args->b), args->simulate, args->seed, dir);
                std::printf("%s [%s, seed %llu]\n", r.message.c_str(), r.method.c_str(),
                            (unsigned long long)args->seed);
                fs::remove_all(dir);
            }
            if (r.status == EquivStatus::different) std::printf("counterexample:\n%s", r.counterexample.text().c_str());
            return r.status == EquivStatus::proven ? 0 : r.status == EquivStatus::different ? 1 : 3;
        };
    });
}

}  // namespace fixvar::cli
