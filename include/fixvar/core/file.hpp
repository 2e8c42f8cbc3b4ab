#pragma once
// The one way fixvar writes a file (Verilog, JSON sidecars, .npy, harness sources, CLI output)
// and reads one whole (logs and reports of Yosys/Verilator, emitted modules): all at once,
// binary, with an Error naming the file and the likely cause when it fails.
#include <optional>
#include <string>
#include <string_view>

namespace fixvar {

/// Replaces the file at `path` with `bytes`. Error "op: 'path': ..." when it cannot be created
/// (missing folder, no permission) or written (disk full).
void write_file(const std::string& path, std::string_view bytes, std::string_view op = "write_file");

/// The bytes of the file at `path`. Error "op: 'path': ..." when it cannot be opened or read.
std::string read_file(const std::string& path, std::string_view op = "read_file");

/// The bytes of the file at `path`, or nullopt when it does not exist or cannot be opened: for
/// files a tool writes only sometimes (a status file, the log of a run that may not have started).
std::optional<std::string> read_file_if_exists(const std::string& path);

}  // namespace fixvar
