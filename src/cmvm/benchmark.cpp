#include <algorithm>
#include <filesystem>

#include <fixvar/cmvm/benchmark.hpp>

namespace fixvar::cmvm {

std::vector<std::string> benchmark_files(const std::string& dir) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(dir)) fail("bench cmvm", "{}: not a directory (give a folder of .cmvm files)", dir);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".cmvm") files.push_back(e.path());
    std::sort(files.begin(), files.end(),
              [](const fs::path& x, const fs::path& y) { return x.filename().string() < y.filename().string(); });
    std::vector<std::string> out;
    for (const fs::path& f : files) out.push_back(f.string());
    return out;
}

BenchmarkTotals run_benchmark(const std::string& dir, const Options& options,
                              const std::function<void(const Problem&, const Solution&)>& on_solved,
                              const std::function<void(const std::string& file, const Error&)>& on_error) {
    BenchmarkTotals t;
    SolveCache cache;
    for (const std::string& file : benchmark_files(dir)) {
        try {
            Problem p = read_problem(file);
            Solution s = cache.solve(p, options);
            on_solved(p, s);
            t.n += p.n;
            t.m += p.m;
            t.adders += s.adder_count();
            t.cost += s.cost;
            t.depth = std::max(t.depth, s.depth);
            t.seconds += s.seconds;
            t.all_exact = t.all_exact && s.exact;
        } catch (const Error& e) {
            on_error(file, e);
            ++t.errors;
        }
    }
    return t;
}

}  // namespace fixvar::cmvm
