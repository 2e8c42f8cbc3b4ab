#pragma once
// Internal to fixvar (not installed; used by the library, its tools and tests).
// Canonical signed digits (CSD, the non-adjacent form): v = sum sign_k·2^pos_k with no two
// adjacent nonzero digits — the signed-digit form with the fewest nonzero digits, so the
// fewest adders for a multiplication by v. Example: 7 = 8 - 1 -> {{0, -1}, {3, +1}}.
// Shared by constant multiplication in the graph builder and the CMVM optimizer.
#include <vector>

#include <fixvar/core/wide.hpp>

namespace fixvar {

struct SignedDigit {
    int pos = 0;
    int sign = 1;  ///< +1 or -1
    friend bool operator==(const SignedDigit&, const SignedDigit&) = default;
};

/// CSD digits of v, lowest position first (empty for 0). v > -2^127.
std::vector<SignedDigit> csd(i128 v);
/// Number of nonzero CSD digits of v (the minimal signed-digit weight).
int csd_weight(i128 v);

}  // namespace fixvar
