#pragma once
// One error path for users (fixvar::Error) and one for broken internal invariants
// (FIXVAR_ASSERT). User errors name the operation, what was given and what to change.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

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

namespace detail {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);
}  // namespace detail

}  // namespace fixvar

/// Internal invariant ("cannot happen"); always checked, reports file:line.
#define FIXVAR_ASSERT(expr) \
    ((expr) ? void(0) : ::fixvar::detail::assertion_failed(#expr, __FILE__, __LINE__))
