#include <fixvar/cmvm/problem.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/file.hpp>

#include <charconv>

namespace fixvar::cmvm {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
        if (j > i) words.push_back(line.substr(i, j - i));
        i = j;
    }
    return words;
}

int parse_int(std::string_view s, std::string_view file, int line, const char* what) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        fail("cmvm", "{}:{}: {} '{}' is not an integer", file, line, what, s);
    return v;
}

// The format of an `in k i f` record.
kif parse_input_format(const std::vector<std::string_view>& words, std::string_view file, int line_no) {
    kif q{parse_int(words[1], file, line_no, "k"), parse_int(words[2], file, line_no, "i"),
          parse_int(words[3], file, line_no, "f")};
    try {
        check_format(q, "input format");
    } catch (const Error& e) {
        fail("cmvm", "{}:{}: {}", file, line_no, e.what());
    }
    return q;
}

// The weights of a `row w_0 ... w_{m-1}` record, appended to `weights`.
void parse_row_weights(const std::vector<std::string_view>& words, std::string_view file, int line_no,
                       std::vector<Dyadic>& weights) {
    for (std::size_t c = 1; c < words.size(); ++c) {
        try {
            weights.push_back(Dyadic::parse(words[c], "weight"));
        } catch (const Error& e) {
            fail("cmvm", "{}:{}: weight {} ('{}'): {}", file, line_no, c - 1, words[c], e.what());
        }
    }
}

}  // namespace

void Problem::validate() const {
    if (n < 0 || m < 0) fail("cmvm", "problem '{}': negative shape {} x {}", name, n, m);
    if (int(inputs.size()) != n) fail("cmvm", "problem '{}': {} input formats for {} inputs", name, inputs.size(), n);
    if (weights.size() != std::size_t(n) * std::size_t(m))
        fail("cmvm", "problem '{}': {} weights for a {} x {} matrix", name, weights.size(), n, m);
    for (const kif& q : inputs) check_format(q, "cmvm input");
    if (!ranges.empty()) {
        if (int(ranges.size()) != n)
            fail("cmvm", "problem '{}': {} input ranges for {} inputs (give none or one per input)", name,
                 ranges.size(), n);
        for (int r = 0; r < n; ++r)
            if (ranges[r].lo > ranges[r].hi || !ExactRange::of(inputs[r]).contains(ranges[r]))
                fail("cmvm", "problem '{}': input {}'s range {} is not within its format's range {}", name, r,
                     to_string(ranges[r]), to_string(ExactRange::of(inputs[r])));
    }
}

ExactRange Problem::input_range(int r) const {
    ExactRange full = ExactRange::of(inputs[r]);
    if (ranges.empty()) return full;
    const ExactRange& g = ranges[r];
    if (g.lo == 0 && g.hi == 0) return ExactRange{0, 0, full.exp};
    if (g.exp >= full.exp) return g.at_exp(full.exp);
    // A constant written on a finer grid (validate() checked it lies on the format's grid).
    int d = full.exp - g.exp;
    return ExactRange{g.lo >> d, g.lo >> d, full.exp};
}

std::vector<ExactRange> Problem::input_ranges() const {
    std::vector<ExactRange> v;
    for (int r = 0; r < n; ++r) v.push_back(input_range(r));
    return v;
}

Problem parse_problem(std::string_view text, std::string_view file) {
    Problem p;
    bool have_version = false, have_name = false, have_shape = false;
    int rows = 0, line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        auto words = split_words(line);
        if (words.empty()) {
            if (end == text.size()) break;
            continue;
        }
        std::string_view key = words[0];
        auto need = [&](std::size_t count, const char* form) {
            if (words.size() != count)
                fail("cmvm", "{}:{}: expected `{}`, got {} fields", file, line_no, form, words.size());
        };
        if (!have_version) {
            if (key != "cmvm" || words.size() != 2 || words[1] != "1")
                fail("cmvm", "{}:{}: the first line must be `cmvm 1` (format version 1)", file, line_no);
            have_version = true;
        } else if (key == "name") {
            need(2, "name NAME");
            if (have_name) fail("cmvm", "{}:{}: duplicate `name` line", file, line_no);
            p.name = std::string(words[1]);
            have_name = true;
        } else if (key == "shape") {
            need(3, "shape n m");
            if (have_shape) fail("cmvm", "{}:{}: duplicate `shape` line", file, line_no);
            p.n = parse_int(words[1], file, line_no, "n");
            p.m = parse_int(words[2], file, line_no, "m");
            if (p.n < 0 || p.m < 0 || p.n > 1'000'000 || p.m > 1'000'000)
                fail("cmvm",
                     "{}:{}: shape {} x {} is out of range (n and m must lie within 0..1000000; "
                     "split larger layers into several problems)",
                     file, line_no, p.n, p.m);
            have_shape = true;
        } else if (key == "in") {
            need(4, "in k i f");
            if (!have_shape) fail("cmvm", "{}:{}: `in` before `shape`", file, line_no);
            if (int(p.inputs.size()) >= p.n) fail("cmvm", "{}:{}: more than n = {} `in` lines", file, line_no, p.n);
            p.inputs.push_back(parse_input_format(words, file, line_no));
        } else if (key == "row") {
            if (!have_shape) fail("cmvm", "{}:{}: `row` before `shape`", file, line_no);
            if (rows >= p.n) fail("cmvm", "{}:{}: more than n = {} `row` lines", file, line_no, p.n);
            if (int(words.size()) != p.m + 1)
                fail("cmvm", "{}:{}: row has {} weights, expected m = {}", file, line_no, words.size() - 1, p.m);
            parse_row_weights(words, file, line_no, p.weights);
            ++rows;
        } else {
            fail("cmvm", "{}:{}: unknown record '{}' (expected name, shape, in or row)", file, line_no, key);
        }
        if (end == text.size()) break;
    }
    if (!have_version) fail("cmvm", "{}: empty file (expected `cmvm 1`)", file);
    if (!have_shape) fail("cmvm", "{}: missing `shape n m` line", file);
    if (int(p.inputs.size()) != p.n)
        fail("cmvm", "{}:{}: {} `in` lines, expected n = {}", file, line_no, p.inputs.size(), p.n);
    if (rows != p.n) fail("cmvm", "{}:{}: {} `row` lines, expected n = {}", file, line_no, rows, p.n);
    if (!have_name) fail("cmvm", "{}: missing `name NAME` line", file);
    p.validate();
    return p;
}

Problem read_problem(const std::string& path) { return parse_problem(read_file(path, "cmvm"), path); }

std::string format_problem(const Problem& p) {
    p.validate();
    std::string s = fmt::format("cmvm 1\nname {}\nshape {} {}\n", p.name, p.n, p.m);
    for (const kif& q : p.inputs) s += fmt::format("in {} {} {}\n", q.k, q.i, q.f);
    for (int r = 0; r < p.n; ++r) {
        s += "row";
        for (int c = 0; c < p.m; ++c) s += " " + p.w(r, c).to_string();
        s += "\n";
    }
    return s;
}

}  // namespace fixvar::cmvm
