#pragma once
// Table-driven bad-input tests: each row calls one public entry point with bad arguments and
// names a fragment the fixvar::Error must contain. Another exception type, no exception or a
// crash fails the row (the row's entry point is printed).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <fixvar/core/error.hpp>

namespace fixvar::test {

struct BadInput {
    const char* entry;           ///< the public function and what is wrong with its arguments
    std::function<void()> call;  ///< the call
    std::string message;         ///< a fragment of the expected Error message
};

inline void check_bad_inputs(const std::vector<BadInput>& rows) {
    for (const BadInput& r : rows) {
        INFO("entry point: " << r.entry);
        std::string what = "(no exception)";
        try {
            r.call();
        } catch (const Error& e) {
            what = e.what();
        } catch (const std::exception& e) {
            what = std::string("(not a fixvar::Error) ") + e.what();
        }
        CHECK_THAT(what, Catch::Contains(r.message));
    }
}

}  // namespace fixvar::test
