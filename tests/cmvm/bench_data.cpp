// The public benchmark set ships with the repository (bench/data): every problem reads, is named
// after its file, and has a row in the peers' results; run_benchmark solves a folder exactly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fixvar/cmvm/benchmark.hpp>

using namespace fixvar;
using namespace fixvar::cmvm;
namespace fs = std::filesystem;

TEST_CASE("bench/data holds the public CMVM problems and the peers' results for each") {
    const std::string data = FIXVAR_SOURCE_DIR "/bench/data";
    std::vector<std::string> files = benchmark_files(data + "/cmvm");
    REQUIRE(files.size() == 19);
    std::set<std::string> peer_rows;
    std::ifstream tsv(data + "/cmvm-peer.tsv");
    REQUIRE(tsv);
    for (std::string line; std::getline(tsv, line);) peer_rows.insert(line.substr(0, line.find('\t')));
    for (const std::string& f : files) {
        Problem p = read_problem(f);
        CAPTURE(f);
        REQUIRE(p.name == fs::path(f).stem().string());
        REQUIRE(peer_rows.count(p.name) == 1);
    }
    REQUIRE(std::is_sorted(files.begin(), files.end()));
}

TEST_CASE("run_benchmark solves every problem of a folder, reports bad files and sums the rest") {
    fs::path dir = fs::temp_directory_path() / "fixvar_run_benchmark";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "a.cmvm") << "cmvm 1\nname a\nshape 2 2\nin 1 3 0\nin 0 4 0\nrow 3 1\nrow 5 -7\n";
    std::ofstream(dir / "b.cmvm") << "cmvm 1\nname b\nshape 1 1\nin 1 3 0\nrow 0.3\n";  // not dyadic
    std::ofstream(dir / "c.cmvm") << "cmvm 1\nname c\nshape 1 2\nin 1 3 0\nrow 3 6\n";
    std::vector<std::string> solved, failed;
    long long cost = 0;
    BenchmarkTotals t = run_benchmark(
        dir.string(), Options{}, [&](const Problem& p, const Solution& s) { solved.push_back(p.name), cost += s.cost; },
        [&](const std::string& file, const Error&) { failed.push_back(fs::path(file).filename().string()); });
    REQUIRE(solved == std::vector<std::string>{"a", "c"});
    REQUIRE(failed == std::vector<std::string>{"b.cmvm"});
    REQUIRE(t.errors == 1);
    REQUIRE(t.all_exact);
    REQUIRE(t.n == 3);
    REQUIRE(t.m == 4);
    REQUIRE(t.cost == cost);
    REQUIRE_THROWS_WITH(benchmark_files((dir / "a.cmvm").string()), Catch::Contains("not a directory"));
    fs::remove_all(dir);
}
