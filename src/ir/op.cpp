#include <fixvar/ir/op.hpp>

#include "ir/op_table.hpp"

namespace fixvar::ir {

std::string_view to_string(Op op) { return int(op) < op_count ? op_rules(op).name : "?"; }

std::string_view to_string(Pred p) {
    switch (p) {
        case Pred::LT: return "lt";
        case Pred::LE: return "le";
        case Pred::GT: return "gt";
        case Pred::GE: return "ge";
        case Pred::EQ: return "eq";
        case Pred::NE: return "ne";
    }
    return "?";
}

int arity(Op op) { return int(op) < op_count ? op_rules(op).arity : 0; }

}  // namespace fixvar::ir
