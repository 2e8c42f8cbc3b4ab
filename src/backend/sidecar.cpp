// The JSON sidecar of an emitted module: its port layout, for the testbench and other tools.
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/version.hpp>

#include <nlohmann/json.hpp>

namespace fixvar::backend {

std::string sidecar_json(const VerilogModule& m) {
    using json = nlohmann::ordered_json;
    auto elements = [](const std::vector<PortElement>& els) {
        json list = json::array();
        for (const PortElement& e : els) {
            json el = {{"k", e.format.k}, {"i", e.format.i}, {"f", e.format.f}, {"offset", e.offset},
                       {"width", e.width}};
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

}  // namespace fixvar::backend
