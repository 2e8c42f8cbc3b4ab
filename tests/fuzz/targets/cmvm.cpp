// .cmvm problems (`fixvar cmvm FILE`, bench/data): parse, format, parse again to the same
// problem; tiny problems are solved too (the solver is where a parsed problem goes next).
#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

int fuzz_cmvm(Input in) {
    cmvm::Problem p;
    try {
        p = cmvm::parse_problem(text_of(in));
    } catch (const Error&) {
        return 0;
    }
    std::string text = cmvm::format_problem(p);
    cmvm::Problem q = cmvm::parse_problem(text);
    if (!q.same_matrix(p) || q.name != p.name) violated("parse(format(p)) != p; format:\n{}", text);
    cmvm::Options one_thread;
    one_thread.threads = 1;
    try {  // a parsed problem the solver cannot take (weights too wide) is its own clear Error
        if (p.n * p.m <= 4) cmvm::solve(p, one_thread);
    } catch (const Error&) {
    }
    return 1;
}

}  // namespace fixvar::fuzz
