// `fixvar synth PATH... [--top NAME] [--family xc7|xcup|generic] [--json OUT] [--jobs N]
// [--timeout SEC]`: Yosys synthesis of emitted models; writes synth.json next to each model
// and prints one table row per design.
#include <cstdio>

#include <fixvar/backend/synth.hpp>
#include <fixvar/core/error.hpp>

#include "commands.hpp"

namespace fixvar::cli {
namespace {

namespace fs = std::filesystem;

/// A .v file as given, or the one emitted model of a directory (a .v with its .json sidecar).
fs::path model_file(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
        if (!fs::is_regular_file(path, ec)) fail("synth", "'{}' is neither a .v file nor a directory", path.string());
        return path;
    }
    std::vector<fs::path> found;
    for (auto& e : fs::directory_iterator(path)) {
        fs::path p = e.path();
        if (p.extension() == ".v" && fs::exists(fs::path(p).replace_extension(".json"))) found.push_back(p);
    }
    if (found.size() != 1)
        fail("synth", "directory '{}' holds {} emitted models (a .v with a .json sidecar); give the .v file",
             path.string(), found.size());
    return found[0];
}

}  // namespace

void add_synth_commands(CLI::App& app, Action& action) {
    struct Args {
        std::vector<std::string> paths;
        std::string top, family = "xc7", json;
        int jobs = 1;
        double timeout = 3600;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd = app.add_subcommand("synth", "Synthesize emitted Verilog with Yosys (LUTs, carries, FFs, levels)");
    cmd->add_option("path", args->paths, ".v file(s) or directories holding one emitted model each")->required();
    cmd->add_option("--top", args->top, "top module (default: the model's module)");
    cmd->add_option("--family", args->family, "xc7 | xcup | generic")->check(CLI::IsMember({"xc7", "xcup", "generic"}));
    cmd->add_option("--json", args->json, "write the report here (default: synth.json next to the model)");
    cmd->add_option("--jobs", args->jobs, "designs synthesized in parallel")->check(CLI::PositiveNumber);
    cmd->add_option("--timeout", args->timeout, "seconds before Yosys is killed (per design; <= 0: none)");
    cmd->callback([args, &action] {
        action = [args] {
            if (args->paths.size() > 1 && (!args->json.empty() || !args->top.empty()))
                fail("synth", "--json and --top apply to a single design; give one path");
            std::vector<fs::path> files;
            for (auto& p : args->paths) files.push_back(model_file(p));
            SynthOptions options;
            options.family = args->family;
            options.top = args->top;
            options.timeout_seconds = args->timeout;
            options.progress = true;
            std::vector<SynthReport> reports = backend::synthesize_all(files, options, args->jobs);
            std::printf("%-28s %-7s %8s %8s %6s %6s %6s %7s %8s\n", "top", "family", "LUT", "CARRY", "FF", "MUXF",
                        "DSP", "levels", "seconds");
            for (std::size_t j = 0; j < reports.size(); ++j) {
                const SynthReport& r = reports[j];
                fs::path out = args->json.empty() ? files[j].parent_path() / "synth.json" : fs::path(args->json);
                backend::write_synth_json(r, out);
                std::printf("%-28s %-7s %8ld %8ld %6ld %6ld %6ld %7d %8.1f\n", r.top.c_str(), r.family.c_str(), r.lut,
                            r.carry, r.ff, r.muxf, r.dsp, r.logic_levels, r.seconds);
            }
            return 0;
        };
    });
}

}  // namespace fixvar::cli
