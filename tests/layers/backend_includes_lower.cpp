// layer: backend
// What a layer may include: every layer below it, and the internal headers it is given (backend
// reads ir's evaluator, src/ir/eval.hpp).
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/io/npy.hpp>
#include <fixvar/ir/graph.hpp>
#include <fixvar/trace/array.hpp>
#include <fixvar/version.hpp>

#include "backend/process.hpp"
#include "ir/eval.hpp"
