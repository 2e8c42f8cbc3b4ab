#include <fixvar/cmvm/solution_json.hpp>
#include <fixvar/core/error.hpp>

#include <nlohmann/json.hpp>

namespace fixvar::cmvm {

std::string solution_json(const Solution& s) {
    nlohmann::ordered_json j;
    j["name"] = s.name;
    j["n"] = s.n;
    j["m"] = s.m;
    j["adders"] = s.adder_count();
    j["cost"] = s.cost;
    j["depth"] = s.depth;
    j["nodes"] = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        const Adder& a = s.adders[k];
        nlohmann::ordered_json node = {{"id", s.n + k}, {"a", a.a}, {"b", a.b}, {"shift", a.shift}, {"sub", a.sub}};
        if (s.n + k < s.nodes.size()) {
            const NodeInfo& N = s.nodes[s.n + k];
            node["lo"] = to_string(N.range.lo);  // 128-bit: as decimal strings
            node["hi"] = to_string(N.range.hi);
            node["exp"] = N.range.exp;
            node["cost"] = N.cost;
            node["depth"] = N.depth;
        }
        j["nodes"].push_back(std::move(node));
    }
    j["outputs"] = nlohmann::ordered_json::array();
    for (const OutputRef& o : s.outputs)
        j["outputs"].push_back({{"node", o.node}, {"shift", o.shift}, {"negate", o.negate}});
    return j.dump(2) + "\n";
}

}  // namespace fixvar::cmvm
