// Locating an external program: hint, environment variable, PATH.
#include "backend/tool_path.hpp"
#include <fixvar/core/error.hpp>

#include <cstdlib>
#include <string_view>

#include <unistd.h>

namespace fixvar::backend {

namespace fs = std::filesystem;

bool is_executable(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::optional<fs::path> find_on_path(const char* program) {
    const char* path = std::getenv("PATH");
    std::string_view rest = path ? path : "";
    while (!rest.empty()) {
        std::size_t colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        fs::path candidate = fs::path(dir.empty() ? "." : std::string(dir)) / program;
        if (is_executable(candidate)) return candidate;
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return std::nullopt;
}

fs::path find_tool(const ToolInfo& tool, const std::string& hint) {
    if (!hint.empty()) {
        if (!is_executable(hint))
            fail(tool.op, "'{}' is not an executable; install {} (Debian: apt-get install {}) or point {} / {} at it",
                 hint, tool.title, tool.package, tool.option, tool.env_var);
        return hint;
    }
    if (const char* env = std::getenv(tool.env_var); env && *env) return find_tool(tool, env);
    if (std::optional<fs::path> found = find_on_path(tool.program)) return *found;
    fail(tool.op, "{} was not found on PATH; install it (Debian: apt-get install {}) or set {} to its path", tool.title,
         tool.package, tool.env_var);
}

}  // namespace fixvar::backend
