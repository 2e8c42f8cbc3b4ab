// `fixvar embed` and fixvar_embed_weights: the generated header (tests/CMakeLists.txt embeds the
// digits_mlp model) holds load_npy's values exactly; bad files are clear errors of the CLI.
#include <catch2/catch.hpp>

#if __has_include("digits_weights.hpp")  // generated only when the fixvar program is built

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <fixvar/io/npy.hpp>
#include <fixvar/static.hpp>

#include "digits_weights.hpp"

namespace fs = std::filesystem;
using namespace fixvar;

namespace {

const fs::path data = fs::path(FIXVAR_SOURCE_DIR) / "samples/digits_mlp/data/beta_1e-5";

template <std::size_t... D>
void check_weights(const weights<D...>& w, const std::string& name) {
    NpyArray a = load_npy(data / (name + ".npy"));
    REQUIRE(a.shape == std::vector<std::size_t>{D...});
    for (std::size_t j = 0; j < a.size(); ++j) {
        INFO(name << " element " << j);
        CHECK(w.values[j].is_accepted());
        CHECK(w.values[j].dyadic().to_double() == a.values[j]);
    }
}

template <std::size_t... D>
void check_formats(const formats<D...>& q, const std::string& name) {
    NpyArray k = load_npy(data / (name + "_k.npy")), i = load_npy(data / (name + "_i.npy")),
             f = load_npy(data / (name + "_f.npy"));
    REQUIRE(k.shape == std::vector<std::size_t>{D...});
    for (std::size_t j = 0; j < k.size(); ++j) {
        INFO(name << " element " << j);
        CHECK(q.values[j] == kif{int(k.values[j]), int(i.values[j]), int(f.values[j])});
    }
}

struct Run {
    int code;
    std::string err;
};

Run embed(const std::string& args, const fs::path& dir) {
    fs::path exe = fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "bin" / "fixvar";
    std::string cmd =
        exe.string() + " embed " + args + " -o " + (dir / "out.hpp").string() + " 2>" + (dir / "err.txt").string();
    int st = std::system(cmd.c_str());
    std::ifstream in(dir / "err.txt");
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1,
            std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
}

void save(const fs::path& p, std::vector<std::size_t> shape, std::vector<double> v) {
    save_npy(p, NpyArray{std::move(shape), std::move(v), "<f8"});
}

}  // namespace

TEST_CASE("static: embedded .npy weights equal load_npy's values") {
    check_weights(digits::w0, "w0");
    check_weights(digits::b0, "b0");
    check_weights(digits::w_out, "w_out");
    check_weights(digits::b_out, "b_out");
    check_formats(digits::a0, "a0");
    check_formats(digits::input, "input");
    static_assert(std::is_same_v<decltype(digits::w0), const weights<64, 16>>);
    static_assert(digits::w0.first_rejected() == 64 * 16);
}

TEST_CASE("static: fixvar embed rejects bad files with the file and index") {
    fs::path dir = fs::temp_directory_path() / ("fixvar_embed_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    save(dir / "w.npy", {2, 2}, {0.5, 0.25, -1, 0.375});
    save(dir / "w_f.npy", {2, 2}, {1, 2, 0, 2});  // 0.375 is off its grid 2^-2
    Run off = embed((dir / "w.npy").string() + " " + (dir / "w_f.npy").string(), dir);
    CHECK(off.code == 2);
    CHECK_THAT(off.err, Catch::Contains("w.npy with grids w_f.npy") && Catch::Contains("element 3") &&
                            Catch::Contains("not a multiple of its step"));
    CHECK(!fs::exists(dir / "out.hpp"));

    save(dir / "v.npy", {2, 2}, {0.5, 0.25, -1, 0.5});
    save(dir / "v_f.npy", {3}, {1, 2, 0});  // does not broadcast to (2, 2)
    Run shape = embed((dir / "v.npy").string() + " " + (dir / "v_f.npy").string(), dir);
    CHECK(shape.code == 2);
    CHECK_THAT(shape.err,
               Catch::Contains("v.npy with grids v_f.npy") && Catch::Contains("(3,)") && Catch::Contains("(2, 2)"));

    std::ofstream(dir / "bad.npy") << "\x93NUMPY garbage";
    Run bad = embed((dir / "bad.npy").string(), dir);
    CHECK(bad.code == 2);
    CHECK_THAT(bad.err, Catch::Contains("bad.npy"));

    Run missing = embed((dir / "a_k.npy").string() + " " + (dir / "a_i.npy").string(), dir);
    CHECK(missing.code == 2);

    save(dir / "u.npy", {2}, {0.5, 0.125});
    save(dir / "u_f.npy", {2}, {1, 3});
    Run good = embed((dir / "u.npy").string() + " " + (dir / "u_f.npy").string() + " --namespace m", dir);
    CHECK(good.code == 0);
    std::ifstream in(dir / "out.hpp");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, Catch::Contains("inline constexpr fixvar::weights<2> u{") && Catch::Contains("of_dyadic(1, -3)") &&
                         Catch::Contains("namespace m {"));
    fs::remove_all(dir);
}

#endif
