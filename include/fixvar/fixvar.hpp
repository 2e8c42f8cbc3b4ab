#pragma once
// Umbrella header: everything a user's program needs, from tracing to verified RTL.
// Model code that only traces can include the lighter trace/*.hpp headers instead.
#include <fixvar/backend/verilog.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/io/npy.hpp>
#include <fixvar/trace/array.hpp>
#include <fixvar/trace/comb_logic.hpp>
#include <fixvar/trace/einsum.hpp>
#include <fixvar/trace/elementwise.hpp>
#include <fixvar/trace/layers.hpp>
#include <fixvar/trace/linear.hpp>
#include <fixvar/trace/reduce.hpp>
#include <fixvar/trace/shape.hpp>
#include <fixvar/trace/variable.hpp>
#include <fixvar/trace/weights.hpp>
#include <fixvar/version.hpp>
