#pragma once
// Each subcommand of the `fixvar` program registers itself from its own file.
#include <CLI/CLI.hpp>

namespace fixvar::cli {

/// A registered subcommand runs through this after parsing; returns the process exit code.
using Action = std::function<int()>;

void add_cmvm_commands(CLI::App& app, Action& action);     // cmvm, bench cmvm
void add_verilog_commands(CLI::App& app, Action& action);  // verilog
void add_synth_commands(CLI::App& app, Action& action);    // synth
void add_equiv_commands(CLI::App& app, Action& action);    // equiv
void add_embed_commands(CLI::App& app, Action& action);    // embed

}  // namespace fixvar::cli
