#pragma once
// Deprecated name, kept so existing code compiles: the Verilog model (VerilogModel, test
// vectors, verify) is <fixvar/backend/verilog_model.hpp>; the module emitter (VerilogModule,
// emit_verilog, write_verilog) is <fixvar/backend/verilog_module.hpp>. Include those instead.
#include <fixvar/backend/verilog_model.hpp>
