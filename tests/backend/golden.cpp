// Golden text of the Verilog emitter: small designs whose .v and .json sidecar must equal the
// files in tests/backend/golden/ byte for byte (the version in the first line aside). Any change
// to the emitted text shows here as a failing diff; once reviewed, run the test with
// FIXVAR_UPDATE_GOLDEN=1 to rewrite the files, and commit them with the change.
#include <cstdlib>
#include <filesystem>
#include <regex>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/context.hpp>
#include <fixvar/trace/variable.hpp>

#include "common.hpp"
#include <fixvar/core/file.hpp>

using namespace fixvar;
using namespace fixvar::backend;
namespace fs = std::filesystem;

namespace {

const fs::path golden_dir = fs::path(FIXVAR_SOURCE_DIR) / "tests" / "backend" / "golden";

/// The text with the generator's version replaced, so a release does not touch the files.
std::string without_version(const std::string& text) {
    static const std::regex version("fixvar [0-9]+\\.[0-9]+\\.[0-9]+");
    return std::regex_replace(text, version, "fixvar VERSION");
}

/// Compares `text` with golden file `name` (or rewrites it under FIXVAR_UPDATE_GOLDEN=1).
void check_golden(const std::string& name, const std::string& text) {
    const fs::path file = golden_dir / name;
    const std::string got = without_version(text);
    if (std::getenv("FIXVAR_UPDATE_GOLDEN")) {
        write_file(file, got, "golden");
        WARN("rewrote " << file.string());
        return;
    }
    INFO("golden file " << file.string() << " (FIXVAR_UPDATE_GOLDEN=1 rewrites it after review)");
    REQUIRE(fs::exists(file));
    const std::string want = read_file(file);
    if (got == want) return;
    // Name the first differing line, which is what a reviewer needs.
    std::size_t at = 0, line = 1;
    while (at < got.size() && at < want.size() && got[at] == want[at]) line += got[at++] == '\n';
    auto line_of = [&](const std::string& s) {
        std::size_t b = s.rfind('\n', at == 0 ? 0 : at - 1);
        b = b == std::string::npos ? 0 : b + 1;
        return s.substr(b, s.find('\n', b) - b);
    };
    FAIL("line " << line << " differs:\n  expected: " << line_of(want) << "\n  emitted:  " << line_of(got));
}

/// Arithmetic, rounding and saturation, a clamp, and a comparison with a mux: most emitter cases.
CombLogic small_design() {
    new_trace();
    FixedVariable a = input(kif{1, 3, 2}), b = input(kif{0, 4, 0}), c = input(kif{1, 2, 3});
    FixedVariable y = quantize(relu(a * 3 - b) + (a >> 1), kif{0, 5, 1}, Round::RND, Overflow::SAT);
    FixedVariable z = quantize(c * -5 + a, kif{1, 2, 1}, Round::TRN, Overflow::WRAP);
    // Function arguments are evaluated in an unspecified order (g++ right to left, clang left to
    // right), and the trace numbers nodes in creation order: name each operand first, in the order
    // of the golden files.
    FixedVariable smaller = min(c, abs(a));
    FixedVariable larger = max(a, b);
    FixedVariable m = where(a > c, larger, smaller);
    return comb_trace({a, b, c}, {y, z, m, msb(c)});
}

}  // namespace

TEST_CASE("emitter golden text: combinational and pipelined modules and their sidecars", "[golden]") {
    CombLogic logic = small_design();
    struct Case {
        std::string name;
        VerilogOptions options;
    };
    const Case cases[] = {
        {"comb", {}},
        {"latency2", {.latency = 2}},
        {"registered_io", {.latency = 3, .register_inputs = true, .register_outputs = true}},
    };
    for (const Case& c : cases) {
        SECTION(c.name) {
            VerilogModule m = emit_verilog(logic, "golden_" + c.name, c.options);
            check_golden(c.name + ".v", m.text);
            check_golden(c.name + ".json", sidecar_json(m));
        }
    }
}
