#pragma once
// Deprecated name, kept so existing code compiles: the module emitter (VerilogModule,
// emit_verilog, write_verilog, port_layout) is <fixvar/backend/verilog_module.hpp>.
#include <fixvar/backend/verilog_module.hpp>
