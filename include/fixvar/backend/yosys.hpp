#pragma once
// Running Yosys: locating it and running one script with a hard time limit.
//
// Every run writes its whole log to a file; a run that exceeds its time limit is killed
// (with its whole process group), so a caller never hangs. Optional progress lines on stderr
// name the Yosys pass being run and the elapsed time.
#include <filesystem>
#include <string>
#include <vector>

namespace fixvar::backend {

/// The yosys executable: `hint` if given, else $FIXVAR_YOSYS, else `yosys` on PATH.
/// Error naming what to install/set if there is none.
std::filesystem::path find_yosys(const std::string& hint = {});

struct YosysRun {
    int exit_code = 0;       ///< Yosys' exit status (meaningless when timed_out)
    bool timed_out = false;  ///< killed after the time limit
    double seconds = 0;      ///< wall time
};

struct YosysRunOptions {
    std::string yosys;           ///< executable (find_yosys hint)
    double timeout_seconds = 0;  ///< <= 0: no limit
    std::string progress_label;  ///< non-empty: progress lines on stderr, prefixed by it
};

/// Runs `yosys -q -l log -s script` in `cwd`. Never throws for a failing script (see
/// exit_code and the log); throws Error if Yosys cannot be started.
YosysRun run_yosys(const std::filesystem::path& script, const std::filesystem::path& log,
                   const std::filesystem::path& cwd, const YosysRunOptions& options);

/// Any command (argv[0] a path) with the same time limit; stdout+stderr go to `output`.
/// `log` is the file progress lines follow (may equal `output`).
YosysRun run_tool(const std::vector<std::string>& command, const std::filesystem::path& output,
                  const std::filesystem::path& log, const std::filesystem::path& cwd, const YosysRunOptions& options);

/// yosys-abc, installed next to yosys (ABC's equivalence checker proves miters minisat cannot).
std::filesystem::path find_yosys_abc(const std::string& yosys_hint = {});

/// The lines of a Yosys log that explain a failure: every ERROR line with the few lines
/// before it (or the log's tail if there is none).
std::string yosys_failure_lines(const std::filesystem::path& log);

}  // namespace fixvar::backend
