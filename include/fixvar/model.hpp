#pragma once
// What a model file needs to trace a network: formats and modes, FixedVariable /
// FixedVariableArray with their operators, einsum/matmul, reductions, layers, constant products
// (through the CMVM optimizer) and comb_trace -> CombLogic (summary, predict, dump). No backend,
// no file I/O: add <fixvar/backend/verilog_model.hpp> for RTL, <fixvar/trace/weights.hpp> for .npy
// weights, or include <fixvar/fixvar.hpp> for everything.
#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/trace/array.hpp>
#include <fixvar/trace/comb_logic.hpp>
#include <fixvar/trace/einsum.hpp>
#include <fixvar/trace/elementwise.hpp>
#include <fixvar/trace/layers.hpp>
#include <fixvar/trace/linear.hpp>
#include <fixvar/trace/reduce.hpp>
#include <fixvar/trace/shape.hpp>
#include <fixvar/trace/variable.hpp>
