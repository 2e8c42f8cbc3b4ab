// .npy bytes (what load_npy reads): parse; every dtype save_npy writes goes back through
// format_npy and parses to the same shape, dtype and values (bit for bit, NaN as NaN).
#include <cmath>
#include <cstring>

#include <fixvar/core/error.hpp>
#include <fixvar/io/npy.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

int fuzz_npy(Input in) {
    NpyArray a;
    try {
        a = parse_npy(text_of(in));
    } catch (const Error&) {
        return 0;
    }
    if (a.values.size() != a.size()) violated("{} values for {} elements", a.values.size(), a.size());
    if (a.dtype.ends_with("f2")) return 1;  // float16 is read, never written (any byte order or none)
    std::string bytes = format_npy(a);
    NpyArray b = parse_npy(bytes);
    if (b.shape != a.shape || b.dtype != a.dtype || b.values.size() != a.values.size())
        violated("parse(format(a)) changed the shape or dtype of '{}'", a.dtype);
    for (std::size_t j = 0; j < a.values.size(); ++j) {
        double x = a.values[j], y = b.values[j];
        bool same = std::isnan(x) ? std::isnan(y) : std::memcmp(&x, &y, sizeof x) == 0;
        if (!same) violated("element {} of '{}' was {} and reads back as {}", j, a.dtype, x, y);
    }
    return 1;
}

}  // namespace fixvar::fuzz
