#pragma once
// Locating an external program (Verilator, Yosys): an explicit path, else an environment
// variable, else the first executable of that name on PATH -- with an Error that says what
// to install or set when there is none.
#include <filesystem>
#include <optional>
#include <string>

namespace fixvar::backend {

/// What the messages of find_tool name.
struct ToolInfo {
    const char* op;       ///< Error prefix, e.g. "yosys"
    const char* program;  ///< file name on PATH, e.g. "yosys"
    const char* title;    ///< how people write it, e.g. "Yosys"
    const char* package;  ///< Debian package that installs it
    const char* env_var;  ///< e.g. "FIXVAR_YOSYS"
    const char* option;   ///< the API option that takes a path, e.g. "the yosys option"
};

/// True if `p` is a regular file this process may execute.
bool is_executable(const std::filesystem::path& p);

/// The first executable named `program` in the directories of $PATH, if any.
std::optional<std::filesystem::path> find_on_path(const char* program);

/// `hint` if given (Error unless executable), else $env_var, else `program` on PATH.
std::filesystem::path find_tool(const ToolInfo& tool, const std::string& hint);

}  // namespace fixvar::backend
