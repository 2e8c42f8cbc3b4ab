// Graph text (what `fixvar verilog MODEL.txt` reads): parse, dump, parse again to the same
// circuit; then what the CLI does with it: interpret (every node's range checked) and emit.
#include <optional>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/comb_logic.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

int fuzz_graph(Input in) {
    std::optional<CombLogic> parsed;
    try {
        parsed = CombLogic::parse(text_of(in));
    } catch (const Error&) {
        return 0;
    }
    const CombLogic& logic = *parsed;
    std::string text = logic.dump();
    if (!(CombLogic::parse(text) == logic)) violated("parse(dump(g)) != g; dump:\n{}", text);
    // One sample at every input's lower bound, every node checked against its range. The text
    // may narrow a node's range below the op rule's (CMVM's exact ranges do), so a file can
    // claim a range its values leave: the checked mode must catch that with an Error.
    std::vector<i128> lows;
    for (ir::NodeId id : logic.graph().inputs) lows.push_back(logic.graph()[id].range.lo);
    try {
        logic.predict_mantissas(lows, 1, 1, ir::RangeCheck::every_node);
    } catch (const Error&) {
    }
    backend::emit_verilog(logic, "fuzz");
    return 1;
}

}  // namespace fixvar::fuzz
