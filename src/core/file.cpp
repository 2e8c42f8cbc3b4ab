#include <fstream>
#include <sstream>

#include <fixvar/core/error.hpp>
#include <fixvar/core/file.hpp>

namespace fixvar {

void write_file(const std::string& path, std::string_view bytes, std::string_view op) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) fail(op, "'{}': cannot create the file (does its directory exist, is it writable?)", path);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    f.close();
    if (!f) fail(op, "'{}': write failed (disk full?)", path);
}

std::optional<std::string> read_file_if_exists(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return std::nullopt;
    std::ostringstream bytes;
    bytes << f.rdbuf();
    return std::move(bytes).str();
}

std::string read_file(const std::string& path, std::string_view op) {
    std::optional<std::string> bytes = read_file_if_exists(path);
    if (!bytes) fail(op, "'{}': cannot open the file (does it exist, is it readable?)", path);
    return std::move(*bytes);
}

}  // namespace fixvar
