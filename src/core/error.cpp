#include <fixvar/core/error.hpp>

#include <cstdio>
#include <cstdlib>

namespace fixvar::detail {

void assertion_failed(const char* expr, const char* file, int line) {
    std::fprintf(stderr, "fixvar: internal error: %s (%s:%d)\n", expr, file, line);
    std::abort();
}

}  // namespace fixvar::detail
