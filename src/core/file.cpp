#include <fstream>

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

}  // namespace fixvar
