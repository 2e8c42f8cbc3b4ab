#include <fixvar/ir/op.hpp>

namespace fixvar::ir {

std::string_view to_string(Op op) {
    switch (op) {
        case Op::Input: return "input";
        case Op::Const: return "const";
        case Op::Add: return "add";
        case Op::Shift: return "shift";
        case Op::Neg: return "neg";
        case Op::Mul: return "mul";
        case Op::Quantize: return "quantize";
        case Op::Relu: return "relu";
        case Op::Abs: return "abs";
        case Op::Max: return "max";
        case Op::Min: return "min";
        case Op::Cmp: return "cmp";
        case Op::Select: return "select";
        case Op::Table: return "table";
        case Op::Bit: return "bit";
    }
    return "?";
}

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

int arity(Op op) {
    switch (op) {
        case Op::Input:
        case Op::Const: return 0;
        case Op::Shift:
        case Op::Neg:
        case Op::Quantize:
        case Op::Relu:
        case Op::Abs:
        case Op::Table:
        case Op::Bit: return 1;
        case Op::Add:
        case Op::Mul:
        case Op::Max:
        case Op::Min:
        case Op::Cmp: return 2;
        case Op::Select: return 3;
    }
    return 0;
}

}  // namespace fixvar::ir
