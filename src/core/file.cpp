#include <filesystem>
#include <fstream>
#include <iterator>

#include <fixvar/core/error.hpp>
#include <fixvar/core/file.hpp>

namespace fixvar {

namespace fs = std::filesystem;

void write_file(const std::string& path, std::string_view bytes, std::string_view op) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) fail(op, "'{}': cannot create the file (does its directory exist, is it writable?)", path);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    f.close();
    if (!f) fail(op, "'{}': write failed (disk full?)", path);
}

std::optional<std::string> read_file_if_exists(const std::string& path, std::string_view op) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail(op, "'{}': read error", path);
    return bytes;
}

std::string read_file(const std::string& path, std::string_view op) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        fail(op, "'{}': no such file (check the path; current directory is '{}')", path, fs::current_path(ec).string());
    if (fs::is_directory(path, ec)) fail(op, "'{}': is a directory, not a file", path);
    std::optional<std::string> bytes = read_file_if_exists(path, op);
    if (!bytes) fail(op, "'{}': cannot open it for reading (check its permissions)", path);
    return std::move(*bytes);
}

}  // namespace fixvar
