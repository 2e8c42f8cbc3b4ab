#pragma once
// The CMVM optimizer's command-line options, shared by `fixvar cmvm`, `fixvar bench cmvm` and
// bench/cmvm_compare.cpp so the three spell and check them the same way.
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>
#include <fixvar/cmvm/solve.hpp>

namespace fixvar::cli {

struct CmvmArgs {
    std::string objective = "cost";
    std::string algorithm = "improved";
    int threads = 2;
    std::uint64_t seed = 1;
    double time_budget = 0;
    int max_depth = -1;
    int depth_slack = -1;
    std::uint64_t max_memory = 0;
    bool no_split = false;
};

inline void add_cmvm_options(CLI::App* cmd, CmvmArgs& a) {
    cmd->add_option("--objective", a.objective, "cost (total adder bit cells, default) or adders")
        ->check(CLI::IsMember({"cost", "adders"}));
    cmd->add_option("--algorithm", a.algorithm, "improved (default), baseline or naive")
        ->check(CLI::IsMember({"improved", "baseline", "naive"}));
    cmd->add_option("--threads", a.threads, "worker threads (default 2)")->check(CLI::Range(1, 256));
    cmd->add_option("--seed", a.seed, "seed of the randomized restarts (default 1)");
    cmd->add_option(
           "--time-budget", a.time_budget,
           "extra randomized restarts worth about SEC seconds (a deterministic work model, not the clock; default 0)")
        ->check(CLI::Range(0.0, 1e6));
    cmd->add_option("--max-depth", a.max_depth, "maximum adder depth")->check(CLI::Range(0, 1000));
    cmd->add_option("--depth-slack", a.depth_slack,
                    "adder depth at most the provable minimum plus N (0: the shallowest trees, for pipelines; "
                    "--max-depth wins)")
        ->check(CLI::Range(0, 1000));
    cmd->add_option(
           "--max-memory", a.max_memory,
           "memory the optimizer may use, e.g. 4G or 512M (default: half of the available memory); "
           "over it fewer threads run at once, or W is solved in blocks (--no-split: an error says what to change)")
        ->transform(CLI::AsSizeValue(false));
    cmd->add_flag(
        "--no-split", a.no_split,
        "solve W whole even when one run is over the memory budget (then an error) or past the size one run "
        "handles (a 256 x 256 8-bit layer); by default such a W is solved in row blocks whose outputs are summed");
}

inline cmvm::Options to_options(const CmvmArgs& a) {
    cmvm::Options o;
    o.objective = cmvm::parse_objective(a.objective);
    o.algorithm = cmvm::parse_algorithm(a.algorithm);
    o.threads = a.threads;
    o.seed = a.seed;
    o.time_budget = a.time_budget;
    if (a.max_depth >= 0) o.max_depth = a.max_depth;
    if (a.depth_slack >= 0) o.depth_slack = a.depth_slack;
    o.max_memory_bytes = a.max_memory;
    o.split = !a.no_split;
    return o;
}

}  // namespace fixvar::cli
