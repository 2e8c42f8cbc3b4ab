#pragma once
// FIXVAR_ASSERT: internal invariants ("cannot happen"), apart from core/error.hpp so that the
// constexpr rules (core/range.hpp, ...) can check them without pulling in fmt.

namespace fixvar::detail {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);
}  // namespace fixvar::detail

/// Internal invariant ("cannot happen"); always checked, reports file:line.
#define FIXVAR_ASSERT(expr) ((expr) ? void(0) : ::fixvar::detail::assertion_failed(#expr, __FILE__, __LINE__))
