// The `fixvar cmvm` and `fixvar bench cmvm` commands (run as a subprocess when built).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

fs::path fixvar_binary() {
    fs::path exe = fs::read_symlink("/proc/self/exe");
    return exe.parent_path().parent_path() / "bin" / "fixvar";
}

struct Run {
    int code;
    std::string out, err;
};

Run run(const std::string& args, const fs::path& dir) {
    fs::path o = dir / "stdout.txt", e = dir / "stderr.txt";
    std::string cmd = fixvar_binary().string() + " " + args + " >" + o.string() + " 2>" + e.string();
    int st = std::system(cmd.c_str());
    auto slurp = [](const fs::path& p) {
        std::ifstream in(p);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    return Run{WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(o), slurp(e)};
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("fixvar cmvm and fixvar bench cmvm print the documented formats") {
    INFO("the CLI tests run " << fixvar_binary() << " (built with the tests)");
    REQUIRE(fs::exists(fixvar_binary()));
    fs::path dir = fs::temp_directory_path() / ("fixvar_cmvm_cli_" + std::to_string(getpid()));
    fs::create_directories(dir);
    write(dir / "a.cmvm", "cmvm 1\nname a\nshape 2 2\nin 1 3 0\nin 0 4 0\nrow 3 5\nrow -7 0.5\n");
    write(dir / "b.cmvm", "cmvm 1\nname b\nshape 1 1\nin 1 3 0\nrow 0.3\n");
    write(dir / "c.cmvm", "cmvm 1\nname c\nshape 1 2\nin 1 3 0\nrow 1 3\n");

    Run one = run("cmvm " + (dir / "a.cmvm").string() + " --objective adders --threads 1 --seed 3 --json " +
                      (dir / "a.json").string() + " --verilog " + (dir / "a_mod.v").string(),
                  dir);
    CAPTURE(one.out, one.err);
    REQUIRE(one.code == 0);
    REQUIRE(std::regex_match(one.out, std::regex("a adders=\\d+ cost=\\d+ depth=\\d+ seconds=[0-9.]+ exact=yes\n")));
    REQUIRE(fs::exists(dir / "a.json"));
    REQUIRE(fs::exists(dir / "a_mod.v"));
    REQUIRE(fs::exists(dir / "a_mod.json"));

    Run clobber = run("cmvm " + (dir / "a.cmvm").string() + " --json " + (dir / "same.json").string() + " --verilog " +
                          (dir / "same.v").string(),
                      dir);
    REQUIRE(clobber.code != 0);
    REQUIRE_THAT(clobber.err, Catch::Contains("also the sidecar of --verilog") && Catch::Contains("same_graph.json"));
    REQUIRE(!fs::exists(dir / "same.json"));

    Run bad = run("cmvm " + (dir / "b.cmvm").string(), dir);
    REQUIRE(bad.code != 0);
    REQUIRE_THAT(bad.err, Catch::Contains("b.cmvm:5"));

    Run depth = run("cmvm " + (dir / "a.cmvm").string() + " --max-depth 0", dir);
    REQUIRE(depth.code != 0);
    REQUIRE_THAT(depth.err, Catch::Contains("--max-depth"));

    Run bench = run("bench cmvm " + dir.string(), dir);
    CAPTURE(bench.out, bench.err);
    REQUIRE(bench.code != 0);  // b.cmvm is malformed
    REQUIRE_THAT(bench.err, Catch::Contains("b.cmvm:5"));
    REQUIRE(bench.out.rfind("name\tn\tm\tadders\tcost\tdepth\tseconds\texact\n", 0) == 0);
    REQUIRE(std::regex_search(bench.out, std::regex("\na\t2\t2\t\\d+\t\\d+\t\\d+\t[0-9.]+\tyes\n")));
    REQUIRE(std::regex_search(bench.out, std::regex("\nc\t1\t2\t1\t\\d+\t1\t[0-9.]+\tyes\n")));
    REQUIRE(std::regex_search(bench.out, std::regex("\nTOTAL\t3\t4\t\\d+\t\\d+\t\\d+\t[0-9.]+\tyes\n$")));

    fs::remove(dir / "b.cmvm");
    REQUIRE(run("bench cmvm " + dir.string(), dir).code == 0);
    fs::remove_all(dir);
}

TEST_CASE("fixvar cmvm --list-strategies prints every entry of the strategy table") {
    fs::path dir = fs::temp_directory_path() / ("fixvar_cmvm_list_" + std::to_string(getpid()));
    fs::create_directories(dir);
    Run list = run("cmvm --list-strategies", dir);
    CAPTURE(list.out, list.err);
    REQUIRE(list.code == 0);
    for (const char* name :
         {"baseline", "one-sided", "two-sided", "transposed-bits", "restarts", "deeper", "reassociate", "local-search"})
        REQUIRE(std::regex_search(list.out,
                                  std::regex(std::string("(^|\n)") + name + " +(at bound|deeper|budget|polish) ")));
    Run none = run("cmvm", dir);
    REQUIRE(none.code != 0);
    REQUIRE_THAT(none.err, Catch::Contains("FILE is required"));
    fs::remove_all(dir);
}
