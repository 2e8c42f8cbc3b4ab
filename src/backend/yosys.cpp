// Running Yosys with a time limit (process.hpp: in its own process group, killed at the limit).
#include "backend/process.hpp"
#include "backend/tool_path.hpp"
#include <fixvar/backend/yosys.hpp>
#include <fixvar/core/error.hpp>

#include <cctype>
#include <fstream>
#include <vector>

namespace fixvar::backend {
namespace {

namespace fs = std::filesystem;

/// Follows a growing log and remembers the last "N.M. Executing X pass" line.
class PhaseTracker {
public:
    explicit PhaseTracker(fs::path log) : log_(std::move(log)) {}
    const std::string& update() {
        std::ifstream f(log_, std::ios::binary);
        if (!f) return phase_;
        f.seekg(std::streamoff(offset_));
        std::string line;
        while (std::getline(f, line)) {
            if (f.eof()) break;  // incomplete last line: read it again next time
            offset_ += line.size() + 1;
            std::size_t at = line.find(". Executing ");
            if (at != std::string::npos && at > 0 && std::isdigit((unsigned char)line[0])) phase_ = line.substr(at + 2);
        }
        return phase_;
    }

private:
    fs::path log_;
    std::size_t offset_ = 0;
    std::string phase_;
};

}  // namespace

fs::path find_yosys(const std::string& hint) {
    return find_tool({"yosys", "yosys", "Yosys", "yosys", "FIXVAR_YOSYS", "the yosys option"}, hint);
}

YosysRun run_tool(const std::vector<std::string>& command, const fs::path& output, const fs::path& log,
                  const fs::path& cwd, const YosysRunOptions& options) {
    ProcessOptions po;
    po.cwd = cwd;
    po.stdout_file = output;
    po.timeout_seconds = options.timeout_seconds;
    po.own_process_group = true;
    PhaseTracker phases(log);
    if (!options.progress_label.empty())
        po.every_10_seconds = [&](double seconds) {
            const std::string& phase = phases.update();
            fmt::print(stderr, "{}: {:.0f} s, {}\n", options.progress_label, seconds,
                       phase.empty() ? "starting" : phase);
        };
    ProcessResult p = run_process(command, po, "yosys");
    if (p.exit_code == 127 && !p.timed_out) fail("yosys", "cannot execute '{}'", command[0]);
    return YosysRun{p.exit_code, p.timed_out, p.seconds};
}

YosysRun run_yosys(const fs::path& script, const fs::path& log, const fs::path& cwd, const YosysRunOptions& options) {
    fs::path yosys = find_yosys(options.yosys);
    std::error_code ec;
    fs::remove(log, ec);
    return run_tool({yosys.string(), "-q", "-l", fs::absolute(log).string(), "-s", fs::absolute(script).string()}, {},
                    log, cwd, options);
}

fs::path find_yosys_abc(const std::string& yosys_hint) {
    fs::path abc = find_yosys(yosys_hint).parent_path() / "yosys-abc";
    if (!is_executable(abc))
        fail("yosys", "'{}' is missing (it comes with Yosys: apt-get install yosys)", abc.string());
    return abc;
}

std::string yosys_failure_lines(const fs::path& log) {
    std::ifstream f(log);
    if (!f) return "(no log: " + log.string() + ")";
    std::vector<std::string> lines;
    for (std::string line; std::getline(f, line);) lines.push_back(line);
    std::string out;
    for (std::size_t j = 0; j < lines.size(); ++j) {
        if (lines[j].rfind("ERROR", 0) != 0) continue;
        for (std::size_t k = j >= 3 ? j - 3 : 0; k <= j; ++k) out += lines[k] + "\n";
    }
    if (out.empty())
        for (std::size_t k = lines.size() >= 15 ? lines.size() - 15 : 0; k < lines.size(); ++k) out += lines[k] + "\n";
    return out;
}

}  // namespace fixvar::backend
