#pragma once
// Graphviz export of a traced circuit: one node per IR node (op, width, range), edges from
// operands; inputs at the top, outputs at the bottom. `dot -Tsvg model.dot > model.svg`.
#include <filesystem>
#include <string>

namespace fixvar {
class CombLogic;
}

namespace fixvar::backend {

std::string graph_dot(const CombLogic& logic, const std::string& name = "model");
void write_dot(const CombLogic& logic, const std::filesystem::path& path, const std::string& name = "model");

}  // namespace fixvar::backend
