// SignedDigit re-coding: a coefficient has many minimal signed-digit forms (6 = 4 + 2 = 8 - 2), all
// as cheap on their own, and CSD is only one of them. Pair CSE finds more shared patterns when
// it may pick the form: choose_forms rates each raw coefficient's forms by the patterns their
// digits join before extraction starts (Variant::msd_sweeps, FormWeight), and during extraction
// recode_occurrences re-writes a residual so that it contains the chosen pattern's digit
// whenever that keeps the digit count (Variant::recode), giving occurrences CSD hides.
#include <algorithm>
#include <climits>
#include <cmath>
#include <tuple>

#include "pair_cse_engine.hpp"

namespace fixvar::cmvm {

// Every minimal signed-digit form of v != 0 (CSD is one of them), lowest digit first.
void PairCse::msd_forms(i128 v, int pos, std::vector<SignedDigit>& cur, std::vector<std::vector<SignedDigit>>& out) {
    if (v == 0) return out.push_back(cur);
    if (out.size() >= 16) return;
    if ((v & 1) == 0) return msd_forms(v >> 1, pos + 1, cur, out);
    int w = csd_weight(v);
    for (int g : {1, -1}) {
        i128 rest = (v - g) >> 1;
        if ((rest == 0 ? 0 : csd_weight(rest)) != w - 1) continue;
        cur.push_back({pos, g});
        msd_forms(rest, pos + 1, cur, out);
        cur.pop_back();
    }
}

// What a form gains by joining a pattern with `count` other occurrences (FormWeight).
std::int64_t PairCse::form_value(int count) const {
    switch (v_.form_weight) {
        case FormWeight::Linear: break;
        case FormWeight::Threshold: return count + 1 >= v_.min_count ? count : 0;
        case FormWeight::Square: return std::int64_t(count) * count;
    }
    return count;
}

// Re-codes each raw coefficient into the minimal signed-digit form whose digits pair with
// the most existing occurrences (patterns already frequent get more frequent).
void PairCse::choose_forms() {
    std::vector<std::vector<SignedDigit>> forms;
    std::vector<SignedDigit> cur;
    std::vector<Term> old;
    for (int c = 0; c < p_.m; ++c) {
        for (int rr = 0; rr < p_.n; ++rr) {
            std::int64_t w = dec_.diff[std::size_t(rr) * p_.m + c];
            if (w == 0 || csd_weight(w) < 2) continue;
            forms.clear();
            msd_forms(w, 0, cur, forms);
            if (forms.size() < 2) continue;
            old.clear();
            for (const Term& t : ex_[c])
                if (t.id == rr) old.push_back(t);
            i128 sum = 0;
            for (const Term& t : old) sum += (t.sign > 0 ? i128(1) : i128(-1)) << t.shift;
            if (sum != w) continue;  // already changed by something else
            for (const Term& t : old) remove_term(c, t);
            std::int64_t best = -1;
            std::size_t bi = 0;
            for (std::size_t f = 0; f < forms.size(); ++f) {
                std::int64_t sc = 0;
                for (std::size_t i = 0; i < forms[f].size(); ++i) {
                    Term t{rr, forms[f][i].pos, forms[f][i].sign};
                    for (const Term& u : ex_[c]) {
                        PairInfo* info = map_.find(key_of(t, u));
                        if (info) sc += form_value(info->count);
                    }
                    for (std::size_t j = i + 1; j < forms[f].size(); ++j) {
                        PairInfo* info = map_.find(key_of(t, Term{rr, forms[f][j].pos, forms[f][j].sign}));
                        if (info) sc += form_value(info->count);
                    }
                }
                if (sc > best) best = sc, bi = f;
            }
            for (const SignedDigit& dg : forms[bi]) add_term(c, Term{rr, dg.pos, dg.sign});
        }
    }
}

i128 PairCse::residual(const std::vector<Term>& ts, const std::vector<char>& used, int id) const {
    i128 r = 0;
    for (std::size_t i = 0; i < ts.size(); ++i)
        if (ts[i].id == id && !used[i]) r += (ts[i].sign > 0 ? i128(1) : i128(-1)) << ts[i].shift;
    return r;
}

// Extra occurrences of pattern (a, b, d, r) in expression e by re-coding raw residuals.
void PairCse::recode_occurrences(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                                 std::int64_t& kraft, Plan& plan) {
    if (a >= p_.n) return;
    i128 ra = residual(ex_[e], used, a);
    if (ra == 0) return;
    if (b >= p_.n)
        recode_against_node(e, a, b, d, r, new_depth, used, kraft, plan, ra);
    else if (a == b)
        recode_within_input(e, a, d, r, new_depth, kraft, plan, ra);
    else
        recode_two_inputs(e, a, b, d, r, new_depth, used, kraft, plan, ra);
}

bool PairCse::kraft_fits(int e, const Term& t, const Term& u, int new_depth, std::int64_t& kraft) const {
    if (!bounded()) return true;
    std::int64_t k2 =
        kraft - (std::int64_t(1) << b_.depth(t)) - (std::int64_t(1) << b_.depth(u)) + (std::int64_t(1) << new_depth);
    if (k2 > (std::int64_t(1) << budget_[e])) return false;
    kraft = k2;
    return true;
}

namespace {
// The signed digit g·2^s (g = ±1).
i128 signed_digit(int g, int s) { return (g > 0 ? i128(1) : i128(-1)) << s; }
}  // namespace

void PairCse::recode_against_node(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                                  std::int64_t& kraft, Plan& plan, i128 ra) {
    // A raw, B a node: a B-term u at shift s_u needs the digit g·2^(s_u - d) in R_a.
    const auto& ts = ex_[e];
    int wa = weight(ra);
    bool any = false;
    for (std::size_t j = 0; j < ts.size() && ra != 0; ++j) {
        if (used[j] || ts[j].id != b) continue;
        const Term& u = ts[j];
        int s = u.shift - d, g = u.sign * r;
        if (s < 0 || s > 62) continue;
        i128 nr = ra - signed_digit(g, s);
        if (weight(nr) != wa - 1) continue;
        Term t{a, s, g};
        if (!kraft_fits(e, t, u, new_depth, kraft)) break;
        used[j] = 1;
        plan.remove.push_back(u);
        plan.lower.push_back(t);
        ra = nr, --wa, any = true;
    }
    if (any) plan.recode.emplace_back(a, ra);
}

void PairCse::recode_within_input(int e, int a, int d, int r, int new_depth, std::int64_t& kraft, Plan& plan, i128 ra) {
    int wa = weight(ra);
    bool any = false;
    for (bool found = true; found && ra != 0;) {
        found = false;
        int top = bit_length(u128(ra < 0 ? -ra : ra)) + 1;
        for (int s = 0; s + d <= std::min(top, 62) && !found; ++s)
            for (int g : {1, -1}) {
                i128 nr = ra - signed_digit(g, s) - signed_digit(g * r, s + d);
                if (weight(nr) != wa - 2) continue;
                Term t{a, s, g}, u{a, s + d, g * r};
                if (!kraft_fits(e, t, u, new_depth, kraft)) {
                    if (any) plan.recode.emplace_back(a, ra);
                    return;
                }
                plan.lower.push_back(t);
                ra = nr, wa -= 2, found = any = true;
                break;
            }
    }
    if (any) plan.recode.emplace_back(a, ra);
}

void PairCse::recode_two_inputs(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                                std::int64_t& kraft, Plan& plan, i128 ra) {
    i128 rb = residual(ex_[e], used, b);
    if (rb == 0) return;
    int wa = weight(ra), wb = weight(rb);
    bool any = false;
    for (bool found = true; found && ra != 0 && rb != 0;) {
        found = false;
        int top = bit_length(u128(ra < 0 ? -ra : ra)) + 1;
        for (int s = 0; s <= std::min(top, 62) && !found; ++s) {
            if (s + d < 0 || s + d > 62) continue;
            for (int g : {1, -1}) {
                i128 na = ra - signed_digit(g, s);
                if (weight(na) != wa - 1) continue;
                i128 nb = rb - signed_digit(g * r, s + d);
                if (weight(nb) != wb - 1) continue;
                Term t{a, s, g}, u{b, s + d, g * r};
                if (!kraft_fits(e, t, u, new_depth, kraft)) {
                    found = false;
                    s = 1 << 20;
                    break;
                }
                plan.lower.push_back(t);
                ra = na, rb = nb, --wa, --wb, found = any = true;
                break;
            }
        }
    }
    if (any) {
        plan.recode.emplace_back(a, ra);
        plan.recode.emplace_back(b, rb);
    }
}

}  // namespace fixvar::cmvm
