#pragma once
// A model's report: what the graph holds (ops by kind, width histogram, cost estimate, depths,
// latency, the widest signals) and, when synthesized, what Yosys made of it.
//
//   auto r = fixvar::make_report(model, &synth_report);   // synth optional
//   fixvar::write_report(r, model.dir());                 // report.json + report.md
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fixvar/backend/pipeline.hpp>
#include <fixvar/backend/synth.hpp>

namespace fixvar {
class CombLogic;
}

namespace fixvar::backend {

class VerilogModel;

struct ModelReport {
    std::string name;
    std::size_t inputs = 0, outputs = 0, nodes = 0;
    std::map<std::string, std::size_t> ops;      ///< node count by op kind (ir::to_string)
    std::map<int, std::size_t> width_histogram;  ///< bit width -> nodes (inputs/consts excluded)
    double cost_estimate = 0;                    ///< sum of per-node LUT estimates (GraphStats)
    int depth = 0;                               ///< nodes with a cost on the longest path
    int adder_depth = 0;                         ///< adders (Add/Neg) on the longest path
    double latency_levels = 0;                   ///< estimated arrival time of the last output
    int latency_cycles = 0;                      ///< pipeline latency (0: combinational)
    struct Signal {
        int id = 0, width = 0;
        std::string op, range;
    };
    std::vector<Signal> widest;  ///< the ten widest signals, widest first
    /// How a pipelined module was placed (pipeline.hpp): latency, its minimum for the cut-off,
    /// register bits, the placement's lower bound and ASAP's count, and per stage its nodes,
    /// longest path and the bits of the rank that ends it.
    std::optional<PipelineSummary> pipeline;  ///< when pipelined
    std::optional<SynthReport> synth;         ///< LUT/FF/levels when synthesized
};

ModelReport make_report(const CombLogic& logic, std::string name, int latency_cycles = 0,
                        const SynthReport* synth = nullptr);
ModelReport make_report(const VerilogModel& model, const SynthReport* synth = nullptr);

std::string report_json(const ModelReport& r);
std::string report_markdown(const ModelReport& r);
/// Writes dir/report.json and dir/report.md.
void write_report(const ModelReport& r, const std::filesystem::path& dir);
ModelReport read_report_json(const std::filesystem::path& path);
/// The same on the file's text; `source` names it in errors.
ModelReport parse_report_json(std::string_view text, const std::filesystem::path& source = "<report.json>");

}  // namespace fixvar::backend

namespace fixvar {
using backend::make_report;
using backend::ModelReport;
using backend::write_report;
}  // namespace fixvar
