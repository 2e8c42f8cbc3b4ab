// `fixvar embed FILES... --output HEADER [--namespace NS]`: .npy weights and formats as a C++
// header of constexpr objects for the compile-time layer (fixvar/static.hpp), run as a build
// step by the CMake function fixvar_embed_weights (cmake/fixvarEmbed.cmake).
//
// Files are grouped by name as HGQ exports them (samples/digits_mlp/data):
//   NAME.npy + NAME_f.npy          fixvar::weights<shape> NAME: every weight on its grid 2^-f
//   NAME.npy alone                 fixvar::weights<shape> NAME: exact values (<= 32 bits each)
//   NAME_k.npy, NAME_i.npy, NAME_f.npy (no NAME.npy)   fixvar::formats<shape> NAME: per-element kif
// The checks are the tracer's own (constant(w, f), constant(w), format_array): a weight off its
// grid, a malformed file or shapes that do not match fail the build with the file and index.
#include <cstdio>
#include <fstream>
#include <map>

#include <fixvar/core/error.hpp>
#include <fixvar/io/npy.hpp>
#include <fixvar/trace/weights.hpp>

#include "commands.hpp"

namespace fixvar::cli {
namespace {
namespace fs = std::filesystem;

struct Group {
    std::map<std::string, fs::path> parts;  // "" (the values), "f", "k", "i"
};

bool is_identifier(const std::string& s) {
    if (s.empty() || std::isdigit((unsigned char)s[0])) return false;
    for (char c : s)
        if (!std::isalnum((unsigned char)c) && c != '_') return false;
    return true;
}

// NAME -> its files, by the naming convention above.
std::map<std::string, Group> group_files(const std::vector<std::string>& files) {
    std::map<std::string, fs::path> by_stem;
    for (const std::string& f : files) {
        fs::path p(f);
        if (p.extension() != ".npy") fail("embed", "{}: not a .npy file", f);
        std::string stem = p.stem().string();
        auto [it, fresh] = by_stem.emplace(stem, p);
        if (!fresh) fail("embed", "{} and {} have the same name '{}'", it->second.string(), f, stem);
    }
    std::map<std::string, Group> groups;
    for (const auto& [stem, path] : by_stem) {
        std::string base = stem.size() > 2 ? stem.substr(0, stem.size() - 2) : "";
        std::string suffix = stem.size() > 2 ? stem.substr(stem.size() - 1) : "";
        bool part =
            stem.size() > 2 && stem[stem.size() - 2] == '_' && (suffix == "f" || suffix == "k" || suffix == "i");
        // NAME_f.npy next to NAME.npy is its grid; NAME_{k,i,f}.npy alone are formats.
        bool is_part =
            part && (suffix == "f" ? by_stem.count(base) || by_stem.count(base + "_k") || by_stem.count(base + "_i")
                                   : !by_stem.count(base));
        std::string name = is_part ? base : stem;
        if (!is_identifier(name))
            fail("embed", "{}: '{}' is not a C++ identifier (rename the file)", path.string(), name);
        groups[name].parts[is_part ? suffix : ""] = path;
    }
    return groups;
}

std::string shape_args(const NpyArray& a) {
    std::string s;
    for (std::size_t d : a.shape) s += (s.empty() ? "" : ", ") + std::to_string(d);
    return s;
}

// The constexpr weights of `w` (checked on the grid of `f` when given).
std::string emit_weights(const std::string& name, const fs::path& w_path, const fs::path* f_path) {
    NpyArray w = load_npy(w_path);
    std::string what = w_path.filename().string();
    FixedVariableArray c;
    try {
        new_trace();
        if (f_path) {
            what += " with grids " + f_path->filename().string();
            c = constant(w, load_npy(*f_path));
        } else {
            c = constant(w);
        }
    } catch (const Error& e) {
        fail("embed", "{}: {}", what, e.what());
    }
    std::string out = fmt::format("/// {} {}\ninline constexpr fixvar::weights<{}> {}{{\n", what,
                                  to_string(shape_of(w)), shape_args(w), name);
    for (std::int64_t j = 0; j < c.size(); ++j) {
        FixedVariable v = c.flat(j);
        Dyadic d = v.builder().constant_value(v.id());
        out += fmt::format("    fixvar::weight::of_dyadic({}, {}),\n", (long long)d.mant, d.exp);
    }
    return out + "};\n";
}

std::string emit_formats(const std::string& name, const Group& g) {
    for (const char* p : {"k", "i", "f"})
        if (!g.parts.count(p))
            fail("embed", "formats '{}': {}_{}.npy is missing (formats need {}_k, {}_i and {}_f)", name, name, p, name,
                 name, name);
    NpyArray k = load_npy(g.parts.at("k")), i = load_npy(g.parts.at("i")), f = load_npy(g.parts.at("f"));
    FormatArray q{std::vector<kif>{}};
    try {
        q = format_array(k, i, f);
    } catch (const Error& e) {
        fail("embed", "{}_{{k,i,f}}.npy: {}", name, e.what());
    }
    std::string out = fmt::format("/// {}_{{k,i,f}}.npy {}\ninline constexpr fixvar::formats<{}> {}{{\n", name,
                                  to_string(q.shape), shape_args(k), name);
    for (const kif& x : q.formats) out += fmt::format("    fixvar::kif{{{}, {}, {}}},\n", x.k, x.i, x.f);
    return out + "};\n";
}

std::string header(const std::vector<std::string>& files, const std::string& ns) {
    std::string body;
    for (const auto& [name, g] : group_files(files)) {
        auto values = g.parts.find("");
        if (values != g.parts.end()) {
            if (g.parts.count("k") || g.parts.count("i"))
                fail("embed", "{}: both weights {}.npy and formats {}_k/_i.npy given", name, name, name);
            auto f = g.parts.find("f");
            body += emit_weights(name, values->second, f == g.parts.end() ? nullptr : &f->second);
        } else {
            body += emit_formats(name, g);
        }
    }
    std::string text =
        "// Generated by `fixvar embed` from .npy files; do not edit.\n#pragma once\n"
        "#include <fixvar/static/formats.hpp>\n#include <fixvar/static/weights.hpp>\n\n";
    if (!ns.empty()) text += "namespace " + ns + " {\n\n";
    text += body;
    if (!ns.empty()) text += "\n}  // namespace " + ns + "\n";
    return text;
}

}  // namespace

void add_embed_commands(CLI::App& app, Action& action) {
    struct Args {
        std::vector<std::string> files;
        std::string output, ns;
    };
    auto args = std::make_shared<Args>();
    CLI::App* cmd =
        app.add_subcommand("embed",
                           "Write .npy weights (NAME.npy [+ NAME_f.npy grids]) and formats (NAME_k/_i/_f.npy) "
                           "as a header of constexpr fixvar::weights / fixvar::formats");
    cmd->add_option("files", args->files, ".npy files")->required();
    cmd->add_option("-o,--output", args->output, "header to write")->required();
    cmd->add_option("--namespace", args->ns, "C++ namespace of the objects (default: none)");
    cmd->callback([args, &action] {
        action = [args] {
            if (!args->ns.empty() && !is_identifier(args->ns))
                fail("embed", "--namespace '{}' is not a C++ identifier", args->ns);
            std::string text = header(args->files, args->ns);
            // Written only when changed, so that dependents do not rebuild for nothing.
            std::ifstream old(args->output);
            std::string before((std::istreambuf_iterator<char>(old)), std::istreambuf_iterator<char>());
            if (before != text) {
                std::ofstream out(args->output);
                out << text;
                if (!out) fail("embed", "cannot write {}", args->output);
            }
            return 0;
        };
    });
}

}  // namespace fixvar::cli
