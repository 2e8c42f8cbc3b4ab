// Yosys synthesis: a run script around synth/<family>.ys, its stat/ltp output parsed.
#include "backend/synth_json.hpp"
#include <fixvar/core/file.hpp>
#include <fixvar/backend/synth.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/backend/yosys.hpp>
#include "backend/json_read.hpp"
#include <fixvar/core/error.hpp>

#include <exception>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace fixvar::backend {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct ScriptEntry {
    const char* family;
    const char* text;
};
constexpr ScriptEntry kScripts[] = {
#include "synth_scripts.inc"
};

/// A path as a Yosys command argument (double-quoted; Yosys has no escapes inside quotes).
std::string yosys_quoted(const fs::path& p) {
    std::string s = fs::absolute(p).string();
    if (s.find('"') != std::string::npos || s.find('\n') != std::string::npos)
        fail("synth", "path '{}' contains a quote or newline, which Yosys scripts cannot name", s);
    return "\"" + s + "\"";
}

std::string choose_top(const fs::path& file, const std::string& requested) {
    std::vector<std::string> modules = verilog_modules(file);
    auto list = [&] {
        std::string s;
        for (auto& m : modules) s += (s.empty() ? "" : ", ") + m;
        return s.empty() ? std::string("none") : s;
    };
    if (!requested.empty()) {
        for (auto& m : modules)
            if (m == requested) return requested;
        fail("synth", "'{}' defines no module '{}' (it defines: {}); pass the right --top", file.string(), requested,
             list());
    }
    if (modules.size() == 1) return modules[0];
    std::string stem = file.stem().string();
    for (auto& m : modules)
        if (m == stem) return stem;
    fail("synth", "'{}' defines {} modules ({}); name the top one with --top", file.string(), modules.size(), list());
}

void parse_stat(const fs::path& stat_path, SynthReport& r) {
    json stat;
    try {
        stat = json::parse(read_file(stat_path, "synth"));
    } catch (const json::exception& e) {
        fail("synth", "cannot read Yosys statistics '{}': {}", stat_path.string(), e.what());
    }
    r.yosys_version = stat.value("creator", "");
    const json& cells = stat.at("design").at("num_cells_by_type");
    for (auto& [type, count] : cells.items()) {
        long n = count.get<long>();
        r.cells_by_type[type] = n;
        if (type.rfind("LUT", 0) == 0 || type == "INV")
            r.luts_by_size[type] += n;
        else if (type.rfind("CARRY", 0) == 0)
            r.carry += n;
        else if (type.rfind("MUXF", 0) == 0)
            r.muxf += n;
        else if (type.rfind("DSP", 0) == 0)
            r.dsp += n;
        else if (type.rfind("FD", 0) == 0 || type.find("DFF") != std::string::npos)
            r.ff += n;
    }
}

/// luts.txt of the generic script: "N objects." for LUT widths 1..6.
void parse_generic_luts(const fs::path& luts_path, SynthReport& r) {
    std::istringstream in(read_file(luts_path, "synth"));
    r.luts_by_size.clear();
    long n = 0;
    std::string word;
    for (int size = 1; size <= 6 && in >> n >> word; ++size)
        if (n > 0) r.luts_by_size[fmt::format("LUT{}", size)] = n;
}

int parse_ltp(const fs::path& ltp_path) {
    static const std::regex length(R"(\(length=(\d+)\))");
    std::string text = read_file(ltp_path, "synth");
    std::smatch m;
    if (!std::regex_search(text, m, length)) return 0;
    return std::stoi(m[1].str());
}

}  // namespace

const std::string& synth_script(const std::string& family) {
    static const std::map<std::string, std::string> scripts = [] {
        std::map<std::string, std::string> m;
        for (auto& s : kScripts) m[s.family] = s.text;
        return m;
    }();
    auto it = scripts.find(family);
    if (it == scripts.end()) fail("synth", "unknown family '{}'; use xc7, xcup or generic", family);
    return it->second;
}

std::vector<std::string> verilog_modules(const fs::path& verilog_file) {
    static const std::regex module_decl(R"((?:^|[\s;])module\s+([A-Za-z_][A-Za-z0-9_$]*))");
    std::string text = read_file(verilog_file, "synth");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), module_decl); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1].str());
    return out;
}

SynthReport synthesize(const fs::path& verilog_file, const SynthOptions& options) {
    const std::string& family_script = synth_script(options.family);
    std::error_code ec;
    if (!fs::is_regular_file(verilog_file, ec))
        fail("synth", "Verilog file '{}' does not exist", verilog_file.string());
    SynthReport r;
    r.family = options.family;
    r.top = choose_top(verilog_file, options.top);
    fs::path dir = options.work_dir.empty()
                       ? fs::absolute(verilog_file).parent_path() / fmt::format("yosys_{}_{}", r.top, r.family)
                       : options.work_dir;
    fs::create_directories(dir);
    for (const char* stale : {"stat.json", "ltp.txt", "luts.txt"}) fs::remove(dir / stale, ec);
    r.script = fmt::format("# fixvar synth: {} as {} (synth/{}.ys)\nread_verilog {}\nhierarchy -check -top {}\n{}",
                           r.top, r.family, r.family, yosys_quoted(verilog_file), r.top, family_script);
    write_file(dir / "run.ys", r.script, "synth");
    r.log_path = dir / "yosys.log";
    YosysRun run = run_yosys(dir / "run.ys", r.log_path, dir,
                             {.yosys = options.yosys,
                              .timeout_seconds = options.timeout_seconds,
                              .progress_label = options.progress ? "synth " + r.top : ""});
    r.seconds = run.seconds;
    if (run.timed_out)
        fail("synth",
             "Yosys did not finish '{}' within {} s (killed); raise the timeout or synthesize a "
             "smaller design. Log: {}",
             r.top, options.timeout_seconds, r.log_path.string());
    if (run.exit_code != 0 || !fs::exists(dir / "stat.json"))
        fail("synth", "Yosys failed on '{}' (exit {}); from {}:\n{}", verilog_file.string(), run.exit_code,
             r.log_path.string(), yosys_failure_lines(r.log_path));
    parse_stat(dir / "stat.json", r);
    if (r.family == "generic") parse_generic_luts(dir / "luts.txt", r);
    for (auto& [size, n] : r.luts_by_size) r.lut += n;
    r.logic_levels = parse_ltp(dir / "ltp.txt");
    return r;
}

SynthReport synthesize(const VerilogModel& model, const SynthOptions& options) {
    fs::path file = model.dir() / (model.module().name + ".v");
    std::error_code ec;
    if (!fs::exists(file, ec) || read_file(file, "synth") != model.module().text) model.write();
    SynthOptions o = options;
    if (o.top.empty()) o.top = model.module().name;
    return synthesize(file, o);
}

std::vector<SynthReport> synthesize_all(std::span<const fs::path> files, const SynthOptions& options, int jobs) {
    std::vector<SynthReport> out(files.size());
    std::vector<std::exception_ptr> errors(files.size());
    std::size_t next = 0;
    std::mutex m;
    auto worker = [&] {
        for (;;) {
            std::size_t j;
            {
                std::lock_guard lock(m);
                if (next == files.size()) return;
                j = next++;
            }
            try {
                out[j] = synthesize(files[j], options);
            } catch (...) {
                errors[j] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, jobs) && std::size_t(t) < files.size(); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    return out;
}

nlohmann::json synth_to_json(const SynthReport& r, bool details) {
    json j = {{"top", r.top},
              {"family", r.family},
              {"lut", r.lut},
              {"luts_by_size", r.luts_by_size},
              {"carry", r.carry},
              {"ff", r.ff},
              {"muxf", r.muxf},
              {"dsp", r.dsp},
              {"logic_levels", r.logic_levels},
              {"seconds", r.seconds},
              {"yosys_version", r.yosys_version}};
    if (details) {
        j["cells_by_type"] = r.cells_by_type;
        j["script"] = r.script;
        j["log"] = r.log_path.string();
    }
    return j;
}

SynthReport synth_from_json(const nlohmann::json& j) {
    SynthReport r;
    r.top = j.at("top");
    r.family = j.at("family");
    r.lut = json_integer<long>(j, "lut");
    r.luts_by_size = json_integer_map<long>(j, "luts_by_size");
    r.carry = json_integer<long>(j, "carry");
    r.ff = json_integer<long>(j, "ff");
    r.muxf = json_integer<long>(j, "muxf");
    r.dsp = json_integer<long>(j, "dsp");
    r.logic_levels = json_integer<int>(j, "logic_levels");
    r.seconds = j.at("seconds");
    r.yosys_version = j.at("yosys_version");
    if (j.contains("cells_by_type")) r.cells_by_type = json_integer_map<long>(j, "cells_by_type");
    r.script = j.value("script", "");
    r.log_path = j.value("log", "");
    return r;
}

std::string synth_json(const SynthReport& r) { return synth_to_json(r, true).dump(2) + "\n"; }

void write_synth_json(const SynthReport& r, const fs::path& path) { write_file(path, synth_json(r), "synth"); }

SynthReport read_synth_json(const fs::path& path) { return parse_synth_json(read_file(path, "synth"), path); }

SynthReport parse_synth_json(std::string_view text, const fs::path& path) {
    try {
        return synth_from_json(json::parse(text));
    } catch (const json::exception& e) {
        fail("synth", "'{}' is not a synth.json fixvar wrote: {}", path.string(), e.what());
    }
}

}  // namespace fixvar::backend
