// The JSON sidecar of an emitted module: its port layout, for the testbench and other tools.
// Written by sidecar_json, read back by parse_emitted_module (strictly: every field checked).
#include "backend/sidecar.hpp"
#include "backend/json_read.hpp"

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/file.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/version.hpp>

#include <limits>
#include <tuple>

#include <nlohmann/json.hpp>

namespace fixvar::backend {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string sidecar_json(const VerilogModule& m) {
    using json = nlohmann::ordered_json;
    auto elements = [](const std::vector<PortElement>& els) {
        json list = json::array();
        for (const PortElement& e : els) {
            json el = {
                {"k", e.format.k}, {"i", e.format.i}, {"f", e.format.f}, {"offset", e.offset}, {"width", e.width}};
            if (e.width == 0) el["value"] = 0;
            list.push_back(std::move(el));
        }
        return list;
    };
    json j;
    j["name"] = m.name;
    j["generator"] = std::string("fixvar ") + fixvar::version;
    j["inputs"] = elements(m.ports.inputs);
    j["outputs"] = elements(m.ports.outputs);
    j["inp_bits"] = m.ports.in_bus();
    j["out_bits"] = m.ports.out_bus();
    j["latency"] = m.latency;
    j["ii"] = 1;
    j["clocked"] = m.clocked;
    j["latency_cutoff"] = m.latency_cutoff;
    j["register_inputs"] = m.pipeline.register_inputs;
    j["register_outputs"] = m.pipeline.register_outputs;
    j["register_bits"] = m.pipeline.register_bits;
    return j.dump(2) + "\n";
}

int sidecar_latency(const fs::path& verilog_file) {
    fs::path side = fs::path(verilog_file).replace_extension(".json");
    std::error_code ec;
    if (!fs::exists(side, ec)) return 0;
    try {
        return json::parse(read_file(side, "equiv")).value("latency", 0);
    } catch (const json::exception&) {
        return 0;
    }
}

VerilogModule read_emitted_module(const fs::path& verilog_file) {
    fs::path side = fs::path(verilog_file).replace_extension(".json");
    std::error_code ec;
    if (!fs::is_regular_file(verilog_file, ec) || !fs::is_regular_file(side, ec))
        fail("equiv", "'{}' needs its .json sidecar '{}' (as fixvar writes them) to be simulated",
             verilog_file.string(), side.string());
    return parse_emitted_module(read_file(verilog_file, "equiv"), read_file(side, "equiv"), side);
}

VerilogModule parse_emitted_module(std::string_view verilog_text, std::string_view sidecar, const fs::path& source) {
    VerilogModule m;
    try {
        json j = json::parse(sidecar);
        m.name = j.at("name");
        // Every element as the emitter lays it out: a valid format of its width (0: a
        // constant-zero output), at the next free bit of the bus.
        auto elements = [&](const json& arr, const char* port) {
            std::vector<PortElement> out;
            long long bits = 0;
            for (auto& e : arr) {
                PortElement el{kif{json_integer<int>(e, "k"), json_integer<int>(e, "i"), json_integer<int>(e, "f")},
                               json_integer<int>(e, "offset"), json_integer<int>(e, "width")};
                if (el.width != 0) {
                    check_format(el.format, "equiv");
                    if (el.width != el.format.width())
                        fail("equiv", "'{}': {} element {} has width {} but its format {} is {} bits wide",
                             source.string(), port, out.size(), el.width, to_string(el.format), el.format.width());
                }
                if (el.offset != bits)
                    fail("equiv", "'{}': {} element {} starts at bit {}, expected {} (elements are packed in order)",
                         source.string(), port, out.size(), el.offset, bits);
                bits += el.width;
                if (el.width < 0 || bits > std::numeric_limits<int>::max())
                    fail("equiv", "'{}': {} element {} has width {}: the bus would not fit in 2^31 bits",
                         source.string(), port, out.size(), el.width);
                out.push_back(el);
            }
            return std::pair{out, int(bits)};
        };
        std::tie(m.ports.inputs, m.ports.in_bits) = elements(j.at("inputs"), "input");
        std::tie(m.ports.outputs, m.ports.out_bits) = elements(j.at("outputs"), "output");
        m.latency = json_integer<int>(j, "latency");
        m.clocked = j.at("clocked");
        m.latency_cutoff = j.value("latency_cutoff", 0.0);
    } catch (const json::exception& e) {
        fail("equiv", "'{}' is not a fixvar sidecar: {}", source.string(), e.what());
    }
    check_module_name(m.name);
    if (m.latency < 0) fail("equiv", "'{}': latency {} is negative", source.string(), m.latency);
    // equiv_simulate renames the module by this text when both sides share a name.
    if (verilog_text.find("module " + m.name) == std::string_view::npos)
        fail("equiv", "'{}' names module '{}' but the Verilog text defines no `module {}`", source.string(), m.name,
             m.name);
    m.text = verilog_text;
    return m;
}

}  // namespace fixvar::backend
