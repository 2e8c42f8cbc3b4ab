#pragma once
// Canonical signed digits (CSD, the non-adjacent form): v = sum sign_k·2^pos_k with no two
// adjacent nonzero digits; the representation with the fewest nonzero digits.
// Example: 7 = 8 - 1 -> {{0, -1}, {3, +1}}.
#include <vector>

#include <fixvar/core/wide.hpp>

namespace fixvar::cmvm {

struct Digit {
    int pos = 0;
    int sign = 1;  ///< +1 or -1
    friend bool operator==(const Digit&, const Digit&) = default;
};

/// CSD digits of v, lowest position first (empty for 0). |v| < 2^125.
std::vector<Digit> csd(i128 v);
/// Number of nonzero CSD digits of v (the minimal signed-digit weight).
int csd_weight(i128 v);

}  // namespace fixvar::cmvm
