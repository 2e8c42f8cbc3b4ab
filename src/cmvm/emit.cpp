#include <fixvar/cmvm/emit.hpp>
#include <fixvar/core/error.hpp>

#include <algorithm>

namespace fixvar::cmvm {
std::string solution_json(const Solution& s) {
    std::string out = fmt::format(
        "{{\n  \"name\": \"{}\",\n  \"n\": {},\n  \"m\": {},\n  \"adders\": {},\n  \"cost\": {},\n  \"depth\": {},\n"
        "  \"nodes\": [",
        s.name, s.n, s.m, s.adder_count(), s.cost, s.depth);
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        const Adder& a = s.adders[k];
        out += k ? ",\n    " : "\n    ";
        out += fmt::format("{{\"id\": {}, \"a\": {}, \"b\": {}, \"shift\": {}, \"sub\": {}", s.n + k, a.a, a.b,
                           a.shift, a.sub ? "true" : "false");
        if (s.n + k < s.nodes.size()) {
            const NodeInfo& N = s.nodes[s.n + k];
            out += fmt::format(", \"lo\": \"{}\", \"hi\": \"{}\", \"exp\": {}, \"cost\": {}, \"depth\": {}",
                               to_string(N.range.lo), to_string(N.range.hi), N.range.exp, N.cost, N.depth);
        }
        out += "}";
    }
    out += "\n  ],\n  \"outputs\": [";
    for (std::size_t c = 0; c < s.outputs.size(); ++c) {
        const OutputRef& o = s.outputs[c];
        out += fmt::format("{}{{\"node\": {}, \"shift\": {}, \"negate\": {}}}", c ? ", " : "", o.node, o.shift,
                           o.negate ? "true" : "false");
    }
    return out + "]\n}\n";
}

}  // namespace fixvar::cmvm
