// Model reports: numbers from the graph (and Yosys), as JSON (nlohmann) and Markdown.
#include "backend/synth_json.hpp"
#include <fixvar/core/file.hpp>
#include <fixvar/backend/report.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/comb_logic.hpp>
#include "backend/json_read.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

namespace fixvar::backend {

namespace fs = std::filesystem;
using json = nlohmann::json;

ModelReport make_report(const CombLogic& logic, std::string name, int latency_cycles, const SynthReport* synth) {
    if (latency_cycles < 0)
        fail("make_report", "latency of {} cycles is negative; pass 0 for a combinational circuit", latency_cycles);
    const ir::Graph& g = logic.graph();
    ir::GraphStats st = logic.stats();
    ModelReport r;
    r.name = std::move(name);
    r.inputs = logic.input_count();
    r.outputs = logic.output_count();
    r.nodes = st.nodes;
    for (int op = 0; op < ir::op_count; ++op)
        if (st.count_by_op[op]) r.ops[std::string(ir::to_string(ir::Op(op)))] = st.count_by_op[op];
    r.cost_estimate = st.total_cost;
    r.depth = st.depth;
    r.latency_levels = st.latency;
    r.latency_cycles = latency_cycles;
    std::vector<int> adders(g.size(), 0);
    for (std::size_t j = 0; j < g.size(); ++j) {
        const ir::Node& n = g[ir::NodeId(j)];
        int d = 0;
        for (ir::NodeId o : {n.a, n.b, n.c})
            if (o != ir::no_node) d = std::max(d, adders[std::size_t(o)]);
        adders[j] = d + (n.op == ir::Op::Add || n.op == ir::Op::Neg ? 1 : 0);
        if (n.op != ir::Op::Input && n.op != ir::Op::Const) ++r.width_histogram[n.range.width()];
        r.widest.push_back({int(j), n.range.width(), std::string(ir::to_string(n.op)), to_string(n.range)});
    }
    for (ir::NodeId o : g.outputs) r.adder_depth = std::max(r.adder_depth, adders[std::size_t(o)]);
    std::stable_sort(r.widest.begin(), r.widest.end(), [](auto& x, auto& y) { return x.width > y.width; });
    if (r.widest.size() > 10) r.widest.resize(10);
    if (synth) r.synth = *synth;
    return r;
}

ModelReport make_report(const VerilogModel& model, const SynthReport* synth) {
    ModelReport r = make_report(model.emitted_logic(), model.module().name, model.latency(), synth);
    const Pipeline& p = model.module().pipeline;
    if (p.clocked) r.pipeline = static_cast<const PipelineSummary&>(p);
    return r;
}

namespace {

json pipeline_to_json(const std::optional<PipelineSummary>& p) {
    if (!p) return nullptr;
    json stages = json::array();
    for (std::size_t s = 0; s < p->stages.size(); ++s)
        stages.push_back({{"stage", s},
                          {"nodes", p->stages[s].nodes},
                          {"levels", p->stages[s].levels},
                          {"register_bits", p->stages[s].register_bits}});
    json longer = json::array();
    for (const LongerStages& l : p->longer_stages)
        longer.push_back({{"cutoff", l.cutoff}, {"register_bits", l.register_bits}});
    return {{"latency", p->latency},
            {"min_latency", p->min_latency},
            {"cutoff", p->cutoff},
            {"register_inputs", p->register_inputs},
            {"register_outputs", p->register_outputs},
            {"register_bits", p->register_bits},
            {"register_bits_lower_bound", p->register_bits_lower_bound},
            {"register_bits_asap", p->register_bits_asap},
            {"longer_stages", longer},
            {"register_bits_floor", p->register_bits_floor},
            {"register_bits_before_regrouping", p->register_bits_before_regrouping},
            {"regrouped_sums", p->regrouped_sums},
            {"stages", stages}};
}

std::optional<PipelineSummary> pipeline_from_json(const json& j) {
    if (j.is_null()) return std::nullopt;
    PipelineSummary p;
    p.clocked = true;  // only pipelined modules have the section
    p.latency = json_integer<int>(j, "latency");
    p.min_latency = json_integer<int>(j, "min_latency");
    p.cutoff = j.at("cutoff");
    p.register_inputs = j.at("register_inputs");
    p.register_outputs = j.at("register_outputs");
    p.register_bits = json_integer<long>(j, "register_bits");
    p.register_bits_lower_bound = json_integer<long>(j, "register_bits_lower_bound");
    p.register_bits_asap = json_integer<long>(j, "register_bits_asap");
    if (j.contains("register_bits_floor")) p.register_bits_floor = json_integer<long>(j, "register_bits_floor");
    if (j.contains("register_bits_before_regrouping")) {
        p.register_bits_before_regrouping = json_integer<long>(j, "register_bits_before_regrouping");
        p.regrouped_sums = json_integer<int>(j, "regrouped_sums");
    }
    if (j.contains("longer_stages"))  // reports before it have none
        for (const json& l : j.at("longer_stages"))
            p.longer_stages.push_back({l.at("cutoff"), json_integer<long>(l, "register_bits")});
    for (const json& s : j.at("stages"))
        p.stages.push_back({json_integer<int>(s, "nodes"), s.at("levels"), json_integer<long>(s, "register_bits")});
    return p;
}

}  // namespace

std::string report_json(const ModelReport& r) {
    json widest = json::array();
    for (auto& s : r.widest) widest.push_back({{"id", s.id}, {"width", s.width}, {"op", s.op}, {"range", s.range}});
    json hist = json::object();
    for (auto& [w, n] : r.width_histogram) hist[std::to_string(w)] = n;
    json j = {{"name", r.name},
              {"inputs", r.inputs},
              {"outputs", r.outputs},
              {"nodes", r.nodes},
              {"ops", r.ops},
              {"width_histogram", hist},
              {"cost_estimate", r.cost_estimate},
              {"depth", r.depth},
              {"adder_depth", r.adder_depth},
              {"latency_levels", r.latency_levels},
              {"latency_cycles", r.latency_cycles},
              {"widest", widest},
              {"pipeline", pipeline_to_json(r.pipeline)},
              {"synth", r.synth ? synth_to_json(*r.synth, false) : json(nullptr)}};
    return j.dump(2) + "\n";
}

ModelReport read_report_json(const fs::path& path) { return parse_report_json(read_file(path, "report"), path); }

ModelReport parse_report_json(std::string_view text, const fs::path& path) {
    ModelReport r;
    try {
        json j = json::parse(text);
        r.name = j.at("name");
        r.inputs = json_integer<std::size_t>(j, "inputs");
        r.outputs = json_integer<std::size_t>(j, "outputs");
        r.nodes = json_integer<std::size_t>(j, "nodes");
        r.ops = json_integer_map<std::size_t>(j, "ops");
        for (auto& [w, n] : json_integer_map<std::size_t>(j, "width_histogram")) {
            int width = 0;
            auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), width);
            if (ec != std::errc() || end != w.data() + w.size() || width < 0)
                fail("report", "'{}': width_histogram key '{}' is not a bit width", path.string(), w);
            r.width_histogram[width] = n;
        }
        r.cost_estimate = j.at("cost_estimate");
        r.depth = json_integer<int>(j, "depth");
        r.adder_depth = json_integer<int>(j, "adder_depth");
        r.latency_levels = j.at("latency_levels");
        r.latency_cycles = json_integer<int>(j, "latency_cycles");
        for (auto& s : j.at("widest"))
            r.widest.push_back({json_integer<int>(s, "id"), json_integer<int>(s, "width"), s.at("op"), s.at("range")});
        if (j.contains("pipeline")) r.pipeline = pipeline_from_json(j.at("pipeline"));
        if (!j.at("synth").is_null()) r.synth = synth_from_json(j.at("synth"));
    } catch (const json::exception& e) {
        fail("report", "'{}' is not a report.json fixvar wrote: {}", path.string(), e.what());
    }
    return r;
}

std::string report_markdown(const ModelReport& r) {
    std::string s = fmt::format("# {}\n\n{} inputs, {} outputs, {} nodes.\n\n", r.name, r.inputs, r.outputs, r.nodes);
    s += "| metric | value |\n|---|---|\n";
    s += fmt::format("| cost estimate (LUTs) | {:.0f} |\n| depth (nodes with a cost) | {} |\n", r.cost_estimate,
                     r.depth);
    s += fmt::format("| adder depth | {} |\n| latency estimate (levels) | {:.2f} |\n", r.adder_depth, r.latency_levels);
    s += fmt::format("| latency (cycles) | {} |\n", r.latency_cycles);
    if (r.pipeline) {
        const PipelineSummary& p = *r.pipeline;
        s += fmt::format("| minimum latency for the cut-off | {} |\n| cut-off (levels per stage) | {} |\n",
                         p.min_latency, p.cutoff > 0 ? fmt::format("{:.2f}", p.cutoff) : std::string("none"));
        s += fmt::format("| registered inputs / outputs | {} / {} |\n", p.register_inputs ? "yes" : "no",
                         p.register_outputs ? "yes" : "no");
        s += fmt::format("| register bits (placed; lower bound; as soon as possible) | {}; {}; {} |\n", p.register_bits,
                         p.register_bits_lower_bound, p.register_bits_asap);
        for (const LongerStages& l : p.longer_stages)
            s += fmt::format("| register bits with {:.0f}% longer stages (cut-off {:.2f}) | {} |\n",
                             (l.cutoff / p.cutoff - 1) * 100, l.cutoff, l.register_bits);
        if (p.register_bits_floor >= 0)
            s += fmt::format("| register bits with stages of any length (the floor at this latency) | {} |\n",
                             p.register_bits_floor);
        if (p.register_bits_before_regrouping >= 0)
            s += fmt::format("| sums regrouped by stage | {} trees; {} register bits before |\n", p.regrouped_sums,
                             p.register_bits_before_regrouping);
    }
    if (r.synth) {
        const SynthReport& y = *r.synth;
        s += fmt::format("| Yosys LUTs ({}) | {} |\n| CARRY | {} |\n| FFs | {} |\n| logic levels | {} |\n", y.family,
                         y.lut, y.carry, y.ff, y.logic_levels);
        s += fmt::format("| estimate / Yosys LUTs | {:.3f} |\n", y.lut ? r.cost_estimate / double(y.lut) : 0.0);
    } else {
        s += "| Yosys | not synthesized |\n";
    }
    if (r.pipeline) {
        s += "\n## Pipeline stages\n\n| stage | nodes | longest path (levels) | register bits after it |\n"
             "|---|---|---|---|\n";
        for (std::size_t t = 0; t < r.pipeline->stages.size(); ++t) {
            const StageSummary& st = r.pipeline->stages[t];
            s += fmt::format("| {} | {} | {:.2f} | {} |\n", t, st.nodes, st.levels, st.register_bits);
        }
    }
    s += "\n## Ops by kind\n\n| op | count |\n|---|---|\n";
    for (auto& [op, n] : r.ops) s += fmt::format("| {} | {} |\n", op, n);
    s += "\n## Width histogram\n\n| bits | nodes |\n|---|---|\n";
    for (auto& [w, n] : r.width_histogram) s += fmt::format("| {} | {} |\n", w, n);
    s += "\n## Widest signals\n\n| node | bits | op | range |\n|---|---|---|---|\n";
    for (auto& w : r.widest) s += fmt::format("| %{} | {} | {} | {} |\n", w.id, w.width, w.op, w.range);
    return s;
}

void write_report(const ModelReport& r, const fs::path& dir) {
    fs::create_directories(dir);
    write_file(dir / "report.json", report_json(r), "report");
    write_file(dir / "report.md", report_markdown(r), "report");
}

}  // namespace fixvar::backend
