#pragma once
// The one way fixvar writes a file (Verilog, JSON sidecars, .npy, harness sources, CLI output):
// all at once, binary, with an Error naming the file and the likely cause when it fails.
#include <string>
#include <string_view>

namespace fixvar {

/// Replaces the file at `path` with `bytes`. Error "op: 'path': ..." when it cannot be created
/// (missing folder, no permission) or written (disk full).
void write_file(const std::string& path, std::string_view bytes, std::string_view op = "write_file");

}  // namespace fixvar
