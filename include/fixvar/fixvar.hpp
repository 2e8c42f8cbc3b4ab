#pragma once
// Umbrella header: everything a user's program may need, from tracing to verified RTL — the
// model (fixvar/model.hpp: core formats and the tracing DSL) plus the CMVM optimizer's own API,
// the Verilog backend, .npy weights and the version. A model file that only traces compiles
// faster with <fixvar/model.hpp>.
#include <fixvar/model.hpp>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/io/npy.hpp>
#include <fixvar/trace/weights.hpp>
#include <fixvar/version.hpp>
