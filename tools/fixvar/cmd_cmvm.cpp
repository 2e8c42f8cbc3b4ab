// `fixvar cmvm FILE.cmvm` and `fixvar bench cmvm DIR`: the CMVM optimizer on .cmvm problems.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include <fixvar/core/file.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/cmvm/benchmark.hpp>
#include <fixvar/cmvm/memory.hpp>
#include <fixvar/cmvm/solution_json.hpp>
#include <fixvar/trace/linear.hpp>
#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

#include "cmvm_options.hpp"
#include "commands.hpp"

namespace fixvar::cli {
namespace {

struct CmvmCommand {
    std::string path;
    CmvmArgs options;
    std::string json, verilog;
    bool list_strategies = false;
    bool estimate = false;
};

// The optimizer's strategy table: name, stage and enabling condition, then what it is for.
int print_strategies() {
    for (const cmvm::StrategyInfo& s : cmvm::list_strategies())
        fmt::print("{:<26} {:<9} {}\n{:<27}{}\n", s.name, s.stage, s.when, "", s.description);
    return 0;
}

// The memory model's estimate for FILE under the options, without solving.
int print_estimate(const CmvmCommand& a) {
    cmvm::Problem p = cmvm::read_problem(a.path);
    cmvm::Options o = to_options(a.options);
    cmvm::MemoryEstimate e = cmvm::estimate_memory(p, o);
    fmt::print("{} memory={} bytes={} per_run={} runs={} threads={} budget={}\n", p.name,
               cmvm::format_bytes(e.total(o.threads)), e.total(o.threads), e.per_run, e.runs, o.threads,
               cmvm::format_bytes(o.max_memory_bytes ? o.max_memory_bytes : cmvm::default_memory_budget()));
    return 0;
}

int run_one(const CmvmCommand& a) {
    if (a.estimate) return print_estimate(a);
    if (!a.json.empty() && !a.verilog.empty()) {
        // The Verilog sidecar is OUT.json next to OUT.v: it must not overwrite the adder graph.
        std::filesystem::path sidecar = std::filesystem::path(a.verilog).replace_extension(".json");
        if (std::filesystem::weakly_canonical(sidecar) == std::filesystem::weakly_canonical(a.json))
            fail("cmvm",
                 "--json {} is also the sidecar of --verilog {}; give them different stems "
                 "(e.g. --json {})",
                 a.json, a.verilog, (sidecar.parent_path() / (sidecar.stem().string() + "_graph.json")).string());
    }
    cmvm::Problem p = cmvm::read_problem(a.path);
    cmvm::Solution s = cmvm::solve(p, to_options(a.options));
    if (!s.blocking.empty()) fmt::print("{}: {}\n", p.name, s.blocking);
    fmt::print("{} adders={} cost={} depth={} seconds={:.3f} exact={}\n", p.name, s.adder_count(), s.cost, s.depth,
               s.seconds, s.exact ? "yes" : "no");
    if (!a.json.empty()) write_file(a.json, cmvm::solution_json(s), "cmvm --json");
    if (!a.verilog.empty()) {
        // The solution as a traced circuit, emitted by the Verilog backend (port convention,
        // sidecar OUT.json), so it is the same RTL that Verilator verifies elsewhere.
        std::filesystem::path v(a.verilog);
        std::string module = v.stem().string();
        std::replace_if(
            module.begin(), module.end(), [](char c) { return !std::isalnum((unsigned char)c) && c != '_'; }, '_');
        if (module.empty() || std::isdigit((unsigned char)module[0])) module = "m_" + module;
        backend::write_verilog(solution_logic(p, s), v, {}, module);
    }
    return s.exact ? 0 : 1;
}

int run_bench(const CmvmCommand& a) {
    fmt::print("name\tn\tm\tadders\tcost\tdepth\tseconds\texact\n");
    cmvm::BenchmarkTotals t = cmvm::run_benchmark(
        a.path, to_options(a.options),
        [](const cmvm::Problem& p, const cmvm::Solution& s) {
            fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{:.3f}\t{}\n", p.name, p.n, p.m, s.adder_count(), s.cost, s.depth,
                       s.seconds, s.exact ? "yes" : "no");
            std::fflush(stdout);
        },
        [](const std::string&, const Error& e) { fmt::print(stderr, "fixvar: error: {}\n", e.what()); });
    fmt::print("TOTAL\t{}\t{}\t{}\t{}\t{}\t{:.3f}\t{}\n", t.n, t.m, t.adders, t.cost, t.depth, t.seconds,
               t.all_exact ? "yes" : "no");
    return (t.all_exact && t.errors == 0) ? 0 : 1;
}

}  // namespace

void add_cmvm_commands(CLI::App& app, Action& action) {
    auto one = std::make_shared<CmvmCommand>();
    CLI::App* cmd = app.add_subcommand("cmvm", "optimize one constant matrix-vector product (.cmvm file)");
    cmd->add_option("FILE", one->path, "problem file (.cmvm)");
    add_cmvm_options(cmd, one->options);
    cmd->add_option("--json", one->json, "write the adder graph as JSON");
    cmd->add_option("--verilog", one->verilog, "write a combinational Verilog module (and OUT.json)");
    cmd->add_flag("--list-strategies", one->list_strategies,
                  "print the optimizer's strategy table (each pipeline, when it runs, what it is for)");
    cmd->add_flag("--estimate-memory", one->estimate,
                  "print the memory the optimizer would need for FILE (peak with --threads workers) and exit");
    cmd->callback([&action, one]() {
        if (one->list_strategies) return void(action = print_strategies);
        if (one->path.empty()) throw CLI::RequiredError("FILE");
        action = [one]() { return run_one(*one); };
    });

    CLI::App* bench = nullptr;
    try {
        bench = app.get_subcommand("bench");
    } catch (const CLI::OptionNotFound&) {
    }
    if (!bench) bench = app.add_subcommand("bench", "benchmarks");
    bench->require_subcommand(1);
    auto all = std::make_shared<CmvmCommand>();
    CLI::App* bc = bench->add_subcommand("cmvm", "solve every *.cmvm in DIR, print TSV");
    bc->add_option("DIR", all->path, "directory of .cmvm files")->required();
    add_cmvm_options(bc, all->options);
    bc->callback([&action, all]() { action = [all]() { return run_bench(*all); }; });
}

}  // namespace fixvar::cli
