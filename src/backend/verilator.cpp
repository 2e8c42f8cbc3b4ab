// Running Verilator: locate it, build the harness for many modules, stream vectors.
#include <fixvar/core/file.hpp>
#include "backend/harness.hpp"
#include "backend/process.hpp"
#include "backend/tool_path.hpp"
#include <fixvar/backend/verilator.hpp>
#include <fixvar/core/error.hpp>

#include <limits>
#include <set>

namespace fixvar::backend {
namespace {

namespace fs = std::filesystem;

std::string tail(const std::string& text, std::size_t lines) {
    std::size_t pos = text.size();
    for (std::size_t n = 0; n <= lines && pos > 0; ++n) {
        std::size_t p = text.rfind('\n', pos - 1);
        if (p == std::string::npos) return text;
        pos = p;
    }
    return text.substr(pos);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

fs::path find_verilator(const std::string& hint) {
    return find_tool(
        {"verilator", "verilator", "Verilator", "verilator", "FIXVAR_VERILATOR", "VerilatorOptions::verilator"}, hint);
}

std::size_t bus_words(int bits) {
    if (bits < 0) fail("bus_words", "a bus of {} bits is impossible; widths are 0 or more", bits);
    return std::size_t(std::max(bits, 1) + 31) / 32;
}

namespace {

// Every element lies inside the bus and is at most max_width bits wide.
void check_layout(const std::vector<PortElement>& elements, int bus_bits, const char* op) {
    if (bus_bits < 0) fail(op, "bus width {} must be >= 0", bus_bits);
    for (std::size_t j = 0; j < elements.size(); ++j) {
        const PortElement& e = elements[j];
        if (e.width < 0 || e.width > max_width || e.offset < 0 || e.offset > std::max(bus_bits, 1) - e.width)
            fail(op,
                 "element {} (bits {}..{} of width {}) does not lie within the {}-bit bus "
                 "(use port_layout() for a graph's layout)",
                 j, e.offset, long(e.offset) + e.width - 1, e.width, bus_bits);
    }
}

// m as a two's complement (signed) or unsigned value of `width` bits, without truncation.
bool fits(i128 m, int width, bool is_signed) {
    if (width == 0) return m == 0;
    if (is_signed) return width >= 128 || (m >= -pow2(width - 1) && m < pow2(width - 1));
    return m >= 0 && (width >= 127 || m < pow2(width));
}

void check_count(std::size_t got, std::size_t per_sample, std::size_t batch, const char* op, const char* what) {
    if (per_sample != 0 && batch > std::numeric_limits<std::size_t>::max() / per_sample)
        fail(op, "{} samples of {} {} overflow the size", batch, per_sample, what);
    if (got != per_sample * batch)
        fail(op, "expected {} {} ({} samples x {}), got {}", per_sample * batch, what, batch, per_sample, got);
}

}  // namespace

std::vector<std::uint32_t> pack_bus(const std::vector<PortElement>& elements, int bus_bits,
                                    std::span<const i128> mantissas, std::size_t batch) {
    check_layout(elements, bus_bits, "pack_bus");
    std::size_t n = elements.size(), nw = bus_words(bus_bits);
    check_count(mantissas.size(), n, batch, "pack_bus", "mantissas");
    for (std::size_t s = 0; s < batch; ++s)
        for (std::size_t j = 0; j < n; ++j)
            if (!fits(mantissas[s * n + j], elements[j].width, elements[j].format.k != 0))
                fail("pack_bus",
                     "sample {}, element {}: mantissa {} does not fit its {}-bit {} "
                     "format {} (it would be truncated)",
                     s, j, fixvar::to_string(mantissas[s * n + j]), elements[j].width,
                     elements[j].format.k ? "signed" : "unsigned", to_string(elements[j].format));
    std::vector<std::uint32_t> out(nw * batch, 0);
    for (std::size_t s = 0; s < batch; ++s) {
        std::uint32_t* w = out.data() + s * nw;
        for (std::size_t j = 0; j < n; ++j) {
            const PortElement& e = elements[j];
            u128 v = u128(mantissas[s * n + j]);
            for (int b = 0; b < e.width;) {  // copy up to 32 bits at a time
                int pos = e.offset + b, word = pos / 32, sh = pos % 32;
                int take = std::min(32 - sh, e.width - b);
                u128 chunk = (v >> b) & ((u128(1) << take) - 1);
                w[word] |= std::uint32_t(chunk) << sh;
                b += take;
            }
        }
    }
    return out;
}

std::vector<i128> unpack_bus(const std::vector<PortElement>& elements, int bus_bits,
                             std::span<const std::uint32_t> words, std::size_t batch) {
    check_layout(elements, bus_bits, "unpack_bus");
    std::size_t n = elements.size(), nw = bus_words(bus_bits);
    check_count(words.size(), nw, batch, "unpack_bus", "words");
    std::vector<i128> out(n * batch, 0);
    for (std::size_t s = 0; s < batch; ++s) {
        const std::uint32_t* w = words.data() + s * nw;
        for (std::size_t j = 0; j < n; ++j) {
            const PortElement& e = elements[j];
            if (e.width == 0) continue;
            u128 v = 0;
            for (int b = 0; b < e.width;) {
                int pos = e.offset + b, word = pos / 32, sh = pos % 32;
                int take = std::min(32 - sh, e.width - b);
                u128 chunk = (w[word] >> sh) & ((u128(1) << take) - 1);
                v |= chunk << b;
                b += take;
            }
            i128 m = i128(v);
            if (e.format.k && ((v >> (e.width - 1)) & 1)) m -= i128(u128(1) << e.width);
            out[s * n + j] = m;
        }
    }
    return out;
}

Simulator::Simulator(std::vector<VerilogModule> modules, fs::path dir, VerilatorOptions options)
    : modules_(std::move(modules)), dir_(std::move(dir)), options_(std::move(options)) {
    if (modules_.empty()) fail("verilator", "no modules to simulate");
    std::set<std::string> names;
    for (auto& m : modules_) {
        if (m.name == sim_top_name)
            fail("verilator", "module name '{}' is reserved for the simulation wrapper", m.name);
        if (!names.insert(m.name).second)
            fail("verilator", "two modules are named '{}'; names in one build must differ", m.name);
    }
}

void Simulator::write() const {
    make_directory(dir_, "verilator");
    for (auto& m : modules_) write_file(dir_ / (m.name + ".v"), m.text, "verilator");
    write_file(dir_ / (std::string(sim_top_name) + ".v"), harness_top(modules_), "verilator");
    write_file(dir_ / sim_ports_file, harness_ports(modules_), "verilator");
    write_file(dir_ / sim_main_file, harness_main(), "verilator");
}

void Simulator::build() {
    fs::path verilator = find_verilator(options_.verilator);
    write();
    std::vector<std::string> cmd = {fs::absolute(verilator).string(),
                                    "--cc",
                                    "--exe",
                                    "--build",
                                    "-j",
                                    std::to_string(std::max(1, options_.jobs)),
                                    options_.lint_wall ? "-Wall" : "-Wno-fatal",
                                    "--top-module",
                                    sim_top_name,
                                    "-Mdir",
                                    "obj",
                                    "-o",
                                    "fixvar_sim",
                                    "-CFLAGS",
                                    "-O1",
                                    "--x-assign",
                                    "fast",
                                    "--x-initial",
                                    "fast",
                                    std::string(sim_top_name) + ".v"};
    // Verilator 5.006's V3Expand mis-simulates a select of an inlined ternary inside a
    // concatenation (the fuzz test found a 1-bit comparison coming out inverted; verilator#5965
    // is the same class): the reference simulation must not be optimized into a wrong one.
    cmd.push_back("-fno-expand");
    for (auto& m : modules_) cmd.push_back(m.name + ".v");
    cmd.push_back(sim_main_file);
    ProcessOptions po;
    po.cwd = dir_;
    po.stdout_file = dir_ / "build.log";
    if (find_on_path("ccache")) po.env.push_back("OBJCACHE=ccache");
    ProcessResult built = run_process(cmd, po, "verilator");
    build_seconds_ = built.seconds;
    int rc = built.exit_code;
    if (rc != 0)
        fail("verilator", "verilating/building in '{}' failed (exit {}); end of build.log:\n{}", dir_.string(), rc,
             tail(read_file_if_exists(dir_ / "build.log", "verilator").value_or(""), 30));
    built_ = true;
}

std::vector<std::vector<std::uint32_t>> Simulator::run(const std::vector<std::vector<std::uint32_t>>& inputs,
                                                       std::size_t samples) const {
    std::size_t D = modules_.size();
    if (inputs.size() != D) fail("verilator", "{} input bus sets for {} modules (one per module)", inputs.size(), D);
    for (std::size_t d = 0; d < D; ++d)
        check_count(inputs[d].size(), bus_words(modules_[d].ports.in_bus()), samples, "verilator", "input words");
    if (!built_) fail("verilator", "the simulator in '{}' is not built; call build() first", dir_.string());
    int lmax = 0;
    for (auto& m : modules_) lmax = std::max(lmax, m.latency);
    // Input file: hex tokens, most significant digit first.
    std::string text = fmt::format("{}\n", samples);
    static constexpr char digits[] = "0123456789abcdef";
    for (std::size_t s = 0; s < samples; ++s) {
        for (std::size_t d = 0; d < D; ++d) {
            const PortLayout& p = modules_[d].ports;
            std::size_t nw = bus_words(p.in_bus());
            const std::uint32_t* w = inputs[d].data() + s * nw;
            for (int k = (p.in_bus() + 3) / 4 - 1; k >= 0; --k) text += digits[(w[k / 8] >> (4 * (k % 8))) & 15u];
            text += d + 1 < D ? ' ' : '\n';
        }
    }
    write_file(dir_ / "vectors.in", text, "verilator");
    ProcessOptions po;
    po.cwd = dir_;
    po.stdin_file = dir_ / "vectors.in";
    po.stdout_file = dir_ / "vectors.out";
    po.stderr_file = dir_ / "run.log";
    int rc = run_process({fs::absolute(dir_ / "obj" / "fixvar_sim").string()}, po, "verilator").exit_code;
    if (rc != 0)
        fail("verilator", "simulation in '{}' failed (exit {}): {}", dir_.string(), rc,
             tail(read_file_if_exists(dir_ / "run.log", "verilator").value_or(""), 10));
    std::string result = read_file(dir_ / "vectors.out", "verilator");
    std::vector<std::vector<std::uint32_t>> out(D);
    for (std::size_t d = 0; d < D; ++d) out[d].assign(bus_words(modules_[d].ports.out_bus()) * samples, 0);
    std::size_t pos = 0, steps = samples + std::size_t(lmax);
    for (std::size_t t = 0; t < steps; ++t) {
        for (std::size_t d = 0; d < D; ++d) {
            std::size_t start = pos;
            while (pos < result.size() && hex_value(result[pos]) >= 0) ++pos;
            if (pos == start) fail("verilator", "simulation output ends early (step {}, module {})", t, d);
            std::size_t lat = std::size_t(modules_[d].latency);
            if (t >= lat && t - lat < samples) {
                std::uint32_t* w = out[d].data() + (t - lat) * bus_words(modules_[d].ports.out_bus());
                for (std::size_t k = 0; k < pos - start; ++k)
                    w[k / 8] |= std::uint32_t(hex_value(result[pos - 1 - k])) << (4 * (k % 8));
            }
            ++pos;  // separator
        }
    }
    return out;
}

}  // namespace fixvar::backend
