// The `fixvar` command-line program. Subcommands live in their own files (commands.hpp).
#include <fmt/format.h>
#include <cstdio>

#include <fixvar/core/error.hpp>
#include <fixvar/version.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"fixvar: exact fixed-point neural networks to FPGA hardware"};
    app.set_version_flag("--version", std::string("fixvar ") + fixvar::version);
    app.require_subcommand(0, 1);
    fixvar::cli::Action action;
    fixvar::cli::add_cmvm_commands(app, action);
    fixvar::cli::add_verilog_commands(app, action);
    fixvar::cli::add_synth_commands(app, action);
    fixvar::cli::add_equiv_commands(app, action);
    fixvar::cli::add_embed_commands(app, action);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (!action) {
        fmt::print("{}\n", app.help());
        return 0;
    }
    try {
        return action();
    } catch (const fixvar::Error& e) {
        fmt::print(stderr, "fixvar: error: {}\n", e.what());
        return 2;
    }
}
