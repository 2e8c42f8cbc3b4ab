// `fixvar cmvm FILE.cmvm` and `fixvar bench cmvm DIR`: the CMVM optimizer on .cmvm problems.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fixvar/backend/emit_verilog.hpp>
#include <fixvar/cmvm/emit.hpp>
#include <fixvar/trace/linear.hpp>
#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

#include "commands.hpp"

namespace fixvar::cli {
namespace {

struct CmvmArgs {
    std::string path;
    std::string objective = "cost";
    std::string algorithm = "improved";
    int threads = 2;
    std::uint64_t seed = 1;
    double time_budget = 0;
    int max_depth = -1;
    std::string json, verilog;
};

void add_options(CLI::App* cmd, CmvmArgs& a) {
    cmd->add_option("--objective", a.objective, "cost (total adder bit cells, default) or adders")
        ->check(CLI::IsMember({"cost", "adders"}));
    cmd->add_option("--algorithm", a.algorithm, "improved (default), baseline or naive")
        ->check(CLI::IsMember({"improved", "baseline", "naive"}));
    cmd->add_option("--threads", a.threads, "worker threads (default 2)")->check(CLI::Range(1, 256));
    cmd->add_option("--seed", a.seed, "seed of the randomized restarts (default 1)");
    cmd->add_option("--time-budget", a.time_budget, "extra randomized restarts worth about SEC seconds (a deterministic work model, not the clock; default 0)")
        ->check(CLI::Range(0.0, 1e6));
    cmd->add_option("--max-depth", a.max_depth, "maximum adder depth")->check(CLI::Range(0, 1000));
}

cmvm::Options to_options(const CmvmArgs& a) {
    cmvm::Options o;
    o.objective = cmvm::parse_objective(a.objective);
    o.algorithm = cmvm::parse_algorithm(a.algorithm);
    o.threads = a.threads;
    o.seed = a.seed;
    o.time_budget = a.time_budget;
    if (a.max_depth >= 0) o.max_depth = a.max_depth;
    return o;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    if (!out) fail("cmvm", "{}: cannot open for writing", path);
    out << text;
    if (!out) fail("cmvm", "{}: write failed", path);
}

int run_one(const CmvmArgs& a) {
    cmvm::Problem p = cmvm::read_problem(a.path);
    cmvm::Solution s = cmvm::solve(p, to_options(a));
    std::printf("%s adders=%d cost=%lld depth=%d seconds=%.3f exact=%s\n", p.name.c_str(), s.adder_count(),
                (long long)s.cost, s.depth, s.seconds, s.exact ? "yes" : "no");
    if (!a.json.empty()) write_file(a.json, cmvm::solution_json(s));
    if (!a.verilog.empty()) {
        // The solution as a traced circuit, emitted by the Verilog backend (port convention,
        // sidecar OUT.json), so it is the same RTL that Verilator verifies elsewhere.
        std::filesystem::path v(a.verilog);
        std::string module = v.stem().string();
        std::replace_if(module.begin(), module.end(), [](char c) { return !std::isalnum((unsigned char)c) && c != '_'; }, '_');
        if (module.empty() || std::isdigit((unsigned char)module[0])) module = "m_" + module;
        backend::write_verilog(solution_logic(p, s), v, {}, module);
    }
    return s.exact ? 0 : 1;
}

int run_bench(const CmvmArgs& a) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(a.path)) fail("bench cmvm", "{}: not a directory", a.path);
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(a.path))
        if (e.is_regular_file() && e.path().extension() == ".cmvm") files.push_back(e.path().string());
    std::sort(files.begin(), files.end(), [](const std::string& x, const std::string& y) {
        return fs::path(x).filename().string() < fs::path(y).filename().string();
    });
    cmvm::Options opt = to_options(a);
    cmvm::SolveCache cache;
    std::printf("name\tn\tm\tadders\tcost\tdepth\tseconds\texact\n");
    long long adders = 0, cost = 0, n = 0, m = 0;
    int depth = 0;
    double seconds = 0;
    bool all_exact = true, errors = false;
    for (const std::string& f : files) {
        try {
            cmvm::Problem p = cmvm::read_problem(f);
            cmvm::Solution s = cache.solve(p, opt);
            std::printf("%s\t%d\t%d\t%d\t%lld\t%d\t%.3f\t%s\n", p.name.c_str(), p.n, p.m, s.adder_count(),
                        (long long)s.cost, s.depth, s.seconds, s.exact ? "yes" : "no");
            std::fflush(stdout);
            adders += s.adder_count();
            cost += s.cost;
            depth = std::max(depth, s.depth);
            seconds += s.seconds;
            n += p.n;
            m += p.m;
            all_exact = all_exact && s.exact;
        } catch (const Error& e) {
            std::fprintf(stderr, "fixvar: error: %s\n", e.what());
            errors = true;
        }
    }
    std::printf("TOTAL\t%lld\t%lld\t%lld\t%lld\t%d\t%.3f\t%s\n", n, m, adders, cost, depth, seconds,
                all_exact ? "yes" : "no");
    return (all_exact && !errors) ? 0 : 1;
}

}  // namespace

void add_cmvm_commands(CLI::App& app, Action& action) {
    auto one = std::make_shared<CmvmArgs>();
    CLI::App* cmd = app.add_subcommand("cmvm", "optimize one constant matrix-vector product (.cmvm file)");
    cmd->add_option("FILE", one->path, "problem file (.cmvm)")->required();
    add_options(cmd, *one);
    cmd->add_option("--json", one->json, "write the adder graph as JSON");
    cmd->add_option("--verilog", one->verilog, "write a combinational Verilog module (and OUT.json)");
    cmd->callback([&action, one]() { action = [one]() { return run_one(*one); }; });

    CLI::App* bench = nullptr;
    try {
        bench = app.get_subcommand("bench");
    } catch (const CLI::OptionNotFound&) {
    }
    if (!bench) bench = app.add_subcommand("bench", "benchmarks");
    bench->require_subcommand(1);
    auto all = std::make_shared<CmvmArgs>();
    CLI::App* bc = bench->add_subcommand("cmvm", "solve every *.cmvm in DIR, print TSV");
    bc->add_option("DIR", all->path, "directory of .cmvm files")->required();
    add_options(bc, *all);
    bc->callback([&action, all]() { action = [all]() { return run_bench(*all); }; });
}

}  // namespace fixvar::cli
