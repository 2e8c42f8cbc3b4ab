#pragma once
// Yosys synthesis of an emitted model: LUT / carry / FF counts and logic levels.
//
//   fixvar::VerilogModel model(logic, "mlp", "out/mlp");
//   model.write();
//   fixvar::SynthReport r = fixvar::synthesize(model, {.family = "xc7"});
//   fmt::print("{} LUTs, {} CARRY4, {} levels\n", r.lut, r.carry, r.logic_levels);
//
// The script is synth/<family>.ys of the source tree, compiled into the library (so an
// installed library needs no source tree): `synth_xilinx -flatten -nodsp -noiopad` for xc7 and
// xcup, `synth -flatten -lut 6` for generic, then `stat` and `ltp -noff`. The counts are
// exactly what Yosys' `stat` reports (nothing rescaled). Yosys' files go to
// <dir of the .v>/yosys_<top>_<family>/ (run.ys, yosys.log, stat.json, ltp.txt).
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fixvar::backend {

class VerilogModel;

struct SynthOptions {
    std::string family = "xc7";      ///< xc7 (7-series), xcup (UltraScale+) or generic (LUT6)
    std::string top;                 ///< top module; empty: the model's name / the only module
                                     ///< of the file / the file's stem
    double timeout_seconds = 3600;   ///< Yosys is killed after this (Error); <= 0: no limit
    std::string yosys;               ///< executable; empty: $FIXVAR_YOSYS or `yosys` on PATH
    std::filesystem::path work_dir;  ///< where Yosys runs; empty: see the header comment
    bool progress = false;           ///< Yosys phase + elapsed time on stderr every 10 s
};

struct SynthReport {
    std::string top, family;
    long lut = 0;                               ///< sum of luts_by_size
    std::map<std::string, long> luts_by_size;   ///< LUT1..LUT6 (and INV, a LUT1, on Xilinx)
    long carry = 0;                             ///< CARRY4 + CARRY8
    long ff = 0;                                ///< flip-flops (FD*, or $_DFF* for generic)
    long muxf = 0;                              ///< MUXF7 + MUXF8 (+ MUXF9)
    long dsp = 0;                               ///< DSP cells (0 with -nodsp)
    int logic_levels = 0;                       ///< cells on the longest combinational path (ltp -noff)
    std::string yosys_version, script;          ///< script: the exact text Yosys ran
    double seconds = 0;                         ///< Yosys wall time
    std::filesystem::path log_path;             ///< the full Yosys log
    std::map<std::string, long> cells_by_type;  ///< every cell type stat counted
};

/// The family script's text (synth/<family>.ys, compiled in). Error for an unknown family.
const std::string& synth_script(const std::string& family);

/// Synthesizes an emitted Verilog file. Error: missing file/Yosys, unknown family, missing top
/// module (naming the modules the file defines), failing run (the log's relevant lines),
/// timeout.
SynthReport synthesize(const std::filesystem::path& verilog_file, const SynthOptions& options = {});
/// Writes the model's files if needed, then synthesizes dir/name.v with top = name.
SynthReport synthesize(const VerilogModel& model, const SynthOptions& options = {});
/// Independent designs, `jobs` Yosys processes at a time; reports in input order. If any run
/// fails, the others finish and the first failure is rethrown.
std::vector<SynthReport> synthesize_all(std::span<const std::filesystem::path> verilog_files,
                                        const SynthOptions& options = {}, int jobs = 1);

/// synth.json: top, family, lut, luts_by_size, carry, ff, muxf, dsp, logic_levels, seconds,
/// yosys_version (+ cells_by_type, script, log). read_synth_json reads it back.
std::string synth_json(const SynthReport& r);
void write_synth_json(const SynthReport& r, const std::filesystem::path& path);
SynthReport read_synth_json(const std::filesystem::path& path);
/// The same on the file's text; `source` names it in errors.
SynthReport parse_synth_json(std::string_view text, const std::filesystem::path& source = "<synth.json>");

/// Module names a Verilog file defines (`module NAME`), in order.
std::vector<std::string> verilog_modules(const std::filesystem::path& verilog_file);

}  // namespace fixvar::backend

namespace fixvar {
using backend::synthesize;
using backend::SynthOptions;
using backend::SynthReport;
}  // namespace fixvar
