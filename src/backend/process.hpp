#pragma once
// Running an external program (Verilator, the simulation it builds, Yosys, yosys-abc): fork and
// exec without a shell (no quoting), standard streams to files, an optional time limit after
// which the program and its whole process group are killed, so a caller never hangs.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fixvar::backend {

struct ProcessOptions {
    std::filesystem::path cwd;          ///< working directory (empty: this process's)
    std::filesystem::path stdin_file;   ///< empty: /dev/null
    std::filesystem::path stdout_file;  ///< empty: /dev/null
    std::filesystem::path stderr_file;  ///< empty: with stdout
    std::vector<std::string> env;       ///< NAME=VALUE entries added to the environment
    double timeout_seconds = 0;         ///< <= 0: no limit
    bool own_process_group = false;     ///< run in a new process group (killed as a whole)
    /// Called about every 10 s while the program runs, with the seconds elapsed.
    std::function<void(double)> every_10_seconds;
};

struct ProcessResult {
    int exit_code = 0;       ///< exit status, 128 + signal if killed by one, 127 if exec failed
    bool timed_out = false;  ///< killed after the time limit (exit_code meaningless)
    double seconds = 0;      ///< wall time
};

/// Runs `argv` (argv[0] a path to the executable) and waits for it. Error only if it cannot be
/// started at all (fork failed); a failing program is reported through exit_code.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options, const char* op);

}  // namespace fixvar::backend
