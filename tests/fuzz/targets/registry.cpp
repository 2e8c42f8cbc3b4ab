// The table of targets, with the tokens the deterministic mutator splices into their inputs
// (numbers at the limits of each type, and each format's punctuation and keywords).
#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

const std::vector<Target>& targets() {
    static const std::vector<Target> all = {
        {"cmvm",
         fuzz_cmvm,
         {"-1", "0", "2147483647", "-2147483648", "99999999999999999999999999999999999999999", "1e9", "0.5", "cmvm 1\n",
          "name ", "shape ", "in ", "row ", "\n", " ", "#"}},
        {"graph",
         fuzz_graph,
         {"-1",     "0",        "2147483647", "-2147483648", "99999999999999999999999999999999999999999",
          "%",      "[",        "]",          ",",           "*2^",
          "<<",     " ",        "\n",         "kif{1,2,3}",  "table",
          "bit",    "select",   "const",      "input",       "outputs",
          "inputs", "quantize", "RND",        "SAT",         ":",
          "#"}},
        {"npy",
         fuzz_npy,
         {"'descr'", "'shape'", "'fortran_order'", "True", "<f16", "|O", "<c8", "<f2", ">i8",
          "(4294967296, 4294967296)", "(-1,)", "(,)", "18446744073709551616", "}", "{", "\n", std::string(1, '\0')}},
        {"synth_json",
         fuzz_synth_json,
         {"-1", "1e300", "2147483648", "9223372036854775808", "-9223372036854775809", "0.5", "null", "[]", "{}", "\"\"",
          "\"lut\"", "\"LUT6\"", ",", ":", "\"\\u0000\""}},
        {"report_json",
         fuzz_report_json,
         {"-1", "1e300", "2147483648", "9223372036854775808", "-9223372036854775809", "0.5", "null", "[]", "{}", "\"\"",
          "\"x\"", "\"-3\"", "\"99999999999\"", ",", ":"}},
        {"emitted_module",
         fuzz_emitted_module,
         {"-1", "0", "1e300", "2147483647", "-2147483648", "128", "null", "true", "\"k\"", "\"width\"", "\"offset\"",
          "\"logic\"", "module ", std::string(1, '\0'), ",", ":"}},
        {"scalars",
         fuzz_scalars,
         {"-", "0", ".", "e", "e-", "1e4000", "170141183460469231731687303715884105727",
          "-170141183460469231731687303715884105728", "999999999999999999999999999999999999999999", "0x", "RND", "SAT",
          "WRAP", "cost", "adders", " "}},
    };
    return all;
}

}  // namespace fixvar::fuzz
