#pragma once
// Reading an emitted module's JSON sidecar inside the library (src/backend/sidecar.cpp, beside
// the writer sidecar_json and the public readers read_emitted_module / parse_emitted_module).
#include <filesystem>

namespace fixvar::backend {

/// The latency recorded in the .json sidecar next to `verilog_file` (same stem); 0 when there
/// is none or it is not readable JSON (a module written by another tool is combinational).
int sidecar_latency(const std::filesystem::path& verilog_file);

}  // namespace fixvar::backend
