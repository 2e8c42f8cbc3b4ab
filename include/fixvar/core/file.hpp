#pragma once
// Internal to fixvar (not installed; used by the library, its tools and tests).
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

/// The bytes of the file at `path`. Error "op: 'path': ..." naming the cause when it does not
/// exist, is a directory, cannot be opened or cannot be read.
std::string read_file(const std::string& path, std::string_view op = "read_file");

/// The bytes of the file at `path`, or nullopt when it cannot be opened (does not exist): for
/// files a tool writes only sometimes (a status file, the log of a run that may not have
/// started). Error on a read error.
std::optional<std::string> read_file_if_exists(const std::string& path, std::string_view op = "read_file");

}  // namespace fixvar
