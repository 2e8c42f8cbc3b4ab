#pragma once
// One error path for users (fixvar::Error) and one for broken internal invariants
// (FIXVAR_ASSERT). User errors name the operation, what was given and what to change.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include <fixvar/core/assert.hpp>

namespace fixvar {

/// Every user-facing failure: bad input, impossible shapes, unsupported widths, missing tools.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Throws `Error` with the message "op: detail". Use for all user errors.
template <typename... Args>
[[noreturn]] void fail(std::string_view op, fmt::format_string<Args...> fmt, Args&&... args) {
    throw Error(fmt::format("{}: {}", op, fmt::format(fmt, std::forward<Args>(args)...)));
}

}  // namespace fixvar
