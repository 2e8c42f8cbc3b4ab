// Graphviz export of the IR graph.
#include <fixvar/backend/dot.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/comb_logic.hpp>

#include <fstream>

namespace fixvar::backend {

std::string graph_dot(const CombLogic& logic, const std::string& name) {
    const ir::Graph& g = logic.graph();
    // The name is the caller's (often a file stem): quotes and backslashes are escaped so it
    // stays one DOT string whatever it holds.
    std::string quoted;
    for (char ch : name) {
        if (ch == '"' || ch == '\\') quoted += '\\';
        quoted += ch == '\n' ? ' ' : ch;
    }
    std::string s =
        fmt::format("digraph \"{}\" {{\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n", quoted);
    for (std::size_t j = 0; j < g.size(); ++j) {
        const ir::Node& n = g[ir::NodeId(j)];
        std::string label = fmt::format("%{} {}", j, ir::to_string(n.op));
        if (n.op == ir::Op::Input) label += fmt::format(" {}", n.param);
        if (n.op == ir::Op::Add) label = fmt::format("%{} {}", j, n.subtract() ? "sub" : "add");
        if ((n.op == ir::Op::Add || n.op == ir::Op::Shift) && n.param) label += fmt::format(" <<{}", n.param);
        label += fmt::format("\\n{} bits {}", n.range.width(), to_string(n.range));
        const char* style = n.op == ir::Op::Input ? ", shape=invhouse" : n.op == ir::Op::Const ? ", shape=ellipse" : "";
        s += fmt::format("  n{} [label=\"{}\"{}];\n", j, label, style);
        for (ir::NodeId o : {n.a, n.b, n.c})
            if (o != ir::no_node) s += fmt::format("  n{} -> n{};\n", o, j);
    }
    for (std::size_t k = 0; k < g.outputs.size(); ++k)
        s += fmt::format("  out{0} [label=\"out {0}\", shape=house];\n  n{1} -> out{0};\n", k, g.outputs[k]);
    return s + "}\n";
}

void write_dot(const CombLogic& logic, const std::filesystem::path& path, const std::string& name) {
    std::ofstream f(path);
    f << graph_dot(logic, name);
    if (!f) fail("dot", "cannot write '{}'", path.string());
}

}  // namespace fixvar::backend
