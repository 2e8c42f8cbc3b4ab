// layer: core
// missing: ir/eval.hpp
// An upward include of an internal header (src/ir/eval.hpp).
#include "ir/eval.hpp"
