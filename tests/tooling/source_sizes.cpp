// source_sizes ROOT DIR... : fails (exit 1) if a C++ file under ROOT/DIR is longer than 500 lines or
// holds a function body longer than 80 lines, naming each one. Bodies are found on the formatted
// tree (clang-format, checked by the format test): a '{' whose statement head has a parameter list
// and is not a control statement opens a function (or a lambda, counted on its own as well).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int max_file_lines = 500;
constexpr int max_function_lines = 80;

// The text with comments, string and character literals and preprocessor lines blanked (newlines
// kept), so that braces and parentheses are code.
std::string code_only(const std::string& s) {
    std::string out = s;
    std::size_t i = 0, n = s.size();
    auto blank = [&](std::size_t a, std::size_t b) {
        for (std::size_t k = a; k < b && k < n; ++k)
            if (out[k] != '\n') out[k] = ' ';
    };
    bool line_start = true;
    while (i < n) {
        char c = s[i];
        if (line_start && c == '#') {  // preprocessor line, with continuations
            std::size_t j = i;
            while (j < n && !(s[j] == '\n' && s[j - 1] != '\\')) ++j;
            blank(i, j);
            i = j;
            continue;
        }
        if (c == '\n')
            line_start = true;
        else if (c != ' ' && c != '\t')
            line_start = false;
        if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            std::size_t j = s.find('\n', i);
            j = j == std::string::npos ? n : j;
            blank(i, j);
            i = j;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            std::size_t j = s.find("*/", i + 2);
            j = j == std::string::npos ? n : j + 2;
            blank(i, j);
            i = j;
        } else if (c == 'R' && i + 1 < n && s[i + 1] == '"') {  // raw string R"delim( ... )delim"
            std::size_t open = s.find('(', i);
            std::string close = ")" + s.substr(i + 2, open - i - 2) + "\"";
            std::size_t j = s.find(close, open);
            j = j == std::string::npos ? n : j + close.size();
            blank(i, j);
            i = j;
        } else if (c == '"' || (c == '\'' && !(i > 0 && std::isxdigit(static_cast<unsigned char>(s[i - 1]))))) {
            std::size_t j = i + 1;  // (a ' after a hex digit is a digit separator)
            while (j < n && s[j] != c) j += s[j] == '\\' ? 2 : 1;
            blank(i, j + 1);
            i = j + 1;
        } else {
            ++i;
        }
    }
    return out;
}

bool opens_function(std::string head) {
    static const std::regex control(R"(^\s*(if|for|while|switch|catch|else|do|return|try)\b)");
    static const std::regex signature(
        R"(\)\s*((const|noexcept|override|final|mutable|volatile|&|&&)\s*)*(->\s*[^;{}]+)?\s*$)");
    static const std::regex type_head(R"(^\s*(template\s*<.*>\s*)?(class|struct|union|enum|namespace)\b)");
    if (std::regex_search(head, control) || std::regex_search(head, type_head)) return false;
    return std::regex_search(head, signature);
}

struct Finding {
    std::string where;
    int lines;
};

void scan(const fs::path& file, const std::string& name, std::vector<Finding>& files, std::vector<Finding>& functions) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    int total = int(std::count(text.begin(), text.end(), '\n'));
    if (total > max_file_lines) files.push_back({name, total});
    std::string code = code_only(text);
    struct Open {
        bool function;
        int line;
    };
    std::vector<Open> stack;
    std::size_t head_begin = 0;
    int line = 1;
    for (std::size_t i = 0; i < code.size(); ++i) {
        char c = code[i];
        if (c == '\n') ++line;
        if (c == '{') {
            stack.push_back({opens_function(code.substr(head_begin, i - head_begin)), line});
            head_begin = i + 1;
        } else if (c == '}' || c == ';') {
            if (c == '}' && !stack.empty()) {
                Open o = stack.back();
                stack.pop_back();
                int length = line - o.line + 1;
                if (o.function && length > max_function_lines)
                    functions.push_back({name + ":" + std::to_string(o.line), length});
            }
            head_begin = i + 1;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: source_sizes ROOT DIR...\n");
        return 2;
    }
    fs::path root = argv[1];
    std::vector<Finding> files, functions;
    int scanned = 0;
    for (int a = 2; a < argc; ++a) {
        std::vector<fs::path> paths;
        for (const auto& e : fs::recursive_directory_iterator(root / argv[a])) {
            std::string ext = e.path().extension().string();
            if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp" || ext == ".h")) paths.push_back(e.path());
        }
        std::sort(paths.begin(), paths.end());
        for (const fs::path& p : paths) {
            scan(p, fs::relative(p, root).generic_string(), files, functions);
            ++scanned;
        }
    }
    for (const Finding& f : files)
        std::printf("%s: %d lines (at most %d: split it by concept)\n", f.where.c_str(), f.lines, max_file_lines);
    for (const Finding& f : functions)
        std::printf("%s: a function of %d lines (at most %d: split it)\n", f.where.c_str(), f.lines,
                    max_function_lines);
    std::printf("%d files scanned: %zu over %d lines, %zu functions over %d lines\n", scanned, files.size(),
                max_file_lines, functions.size(), max_function_lines);
    return files.empty() && functions.empty() ? 0 : 1;
}
