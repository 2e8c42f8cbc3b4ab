// Fork/exec with redirected streams, polled for a time limit.
#include "backend/process.hpp"
#include <fixvar/core/error.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fixvar::backend {

namespace fs = std::filesystem;

ProcessResult run_process(const std::vector<std::string>& command, const ProcessOptions& options, const char* op) {
    if (command.empty()) fail(op, "no program to run");
    // Everything the child needs is prepared before fork (only async-signal-safe calls after).
    std::vector<std::string> args = command;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    auto overridden = [&](std::string_view entry) {  // NAME=... of an entry in options.env
        for (const std::string& add : options.env)
            if (entry.substr(0, entry.find('=') + 1) == std::string_view(add).substr(0, add.find('=') + 1)) return true;
        return false;
    };
    for (char** e = environ; *e; ++e)
        if (!overridden(*e)) env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), options.env.begin(), options.env.end());
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    auto file_or_null = [](const fs::path& p) {
        return p.empty() ? std::string("/dev/null") : fs::absolute(p).string();
    };
    std::string dir = options.cwd.string(), in = file_or_null(options.stdin_file),
                out = file_or_null(options.stdout_file),
                err = options.stderr_file.empty() ? std::string() : fs::absolute(options.stderr_file).string();
    bool group = options.own_process_group;

    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid < 0) fail(op, "cannot start '{}' (fork failed)", command[0]);
    if (pid == 0) {
        if (group) ::setpgid(0, 0);
        int in_fd = ::open(in.c_str(), O_RDONLY);
        int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err_fd = err.empty() ? out_fd : ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in_fd >= 0) ::dup2(in_fd, 0);
        if (out_fd >= 0) ::dup2(out_fd, 1);
        if (err_fd >= 0) ::dup2(err_fd, 2);
        if (!dir.empty() && ::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    if (group) ::setpgid(pid, pid);  // also from the parent: no race with the kill below

    ProcessResult run;
    double next_report = 10;
    bool poll = options.timeout_seconds > 0 || options.every_10_seconds;  // else simply wait
    for (int status = 0;;) {
        pid_t r = ::waitpid(pid, &status, poll ? WNOHANG : 0);
        run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (r < 0 && errno != EINTR) fail(op, "lost track of '{}' (waitpid: {})", command[0], std::strerror(errno));
        if (r == pid) {
            run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (options.timeout_seconds > 0 && run.seconds > options.timeout_seconds) {
            ::kill(group ? -pid : pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            run.timed_out = true;
            break;
        }
        if (options.every_10_seconds && run.seconds >= next_report) {
            options.every_10_seconds(run.seconds);
            next_report += 10;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(run.seconds < 2 ? 20 : 200));
    }
    return run;
}

}  // namespace fixvar::backend
