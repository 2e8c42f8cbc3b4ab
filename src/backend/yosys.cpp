// Running Yosys with a time limit (fork/exec in its own process group, polled).
#include "backend/tool_path.hpp"
#include <fixvar/backend/yosys.hpp>
#include <fixvar/core/error.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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
            if (at != std::string::npos && at > 0 && std::isdigit((unsigned char)line[0]))
                phase_ = line.substr(at + 2);
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
    // Everything the child needs is prepared before fork (only async-signal-safe calls after).
    std::vector<std::string> args = command;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string dir = cwd.string(), out = output.empty() ? std::string("/dev/null") : fs::absolute(output).string();

    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid < 0) fail("yosys", "cannot start '{}' (fork failed)", command[0]);
    if (pid == 0) {
        ::setpgid(0, 0);
        int in = ::open("/dev/null", O_RDONLY);
        int sink = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in >= 0) ::dup2(in, 0);
        if (sink >= 0) {
            ::dup2(sink, 1);
            ::dup2(sink, 2);
        }
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also from the parent: no race with the kill below

    YosysRun run;
    PhaseTracker phases(log);
    double next_report = 10;
    for (int status = 0;;) {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (r == pid) {
            run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (options.timeout_seconds > 0 && run.seconds > options.timeout_seconds) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            run.timed_out = true;
            break;
        }
        if (!options.progress_label.empty() && run.seconds >= next_report) {
            const std::string& phase = phases.update();
            std::fprintf(stderr, "%s: %.0f s, %s\n", options.progress_label.c_str(), run.seconds,
                         phase.empty() ? "starting" : phase.c_str());
            next_report += 10;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(run.seconds < 2 ? 20 : 200));
    }
    if (run.exit_code == 127 && !run.timed_out) fail("yosys", "cannot execute '{}'", command[0]);
    return run;
}

YosysRun run_yosys(const fs::path& script, const fs::path& log, const fs::path& cwd,
                   const YosysRunOptions& options) {
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
        for (std::size_t k = lines.size() >= 15 ? lines.size() - 15 : 0; k < lines.size(); ++k)
            out += lines[k] + "\n";
    return out;
}

}  // namespace fixvar::backend
