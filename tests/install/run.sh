#!/usr/bin/env bash
# Installs the built fixvar into a fresh prefix; checks that the installed headers are the public
# ones only (no header of src/, no quoted include of one) and that each compiles on its own;
# that Boost is a dependency of the compile-time layer only (a dynamic-API consumer builds without
# Boost and range-v3); then builds and runs outside consumer projects against it with
# find_package(fixvar) from a clean directory.
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
inc="$work/prefix/include"

# Internal headers (src/<area>/*.hpp) must not be installed, nor be included by a public one.
for internal in $(cd "$source_dir/src" && find . -name '*.hpp' | sed 's|^\./||'); do
    if [ -e "$inc/fixvar/$internal" ]; then
        echo "internal header installed: fixvar/$internal (src/$internal)" >&2; exit 1
    fi
done
# Utilities that live under include/ but are internal (their first comment line says so).
for internal in $(cd "$source_dir/include" && grep -lr '^// Internal to fixvar' fixvar); do
    if [ -e "$inc/$internal" ]; then
        echo "internal header installed: $internal (marked 'Internal to fixvar')" >&2; exit 1
    fi
done
if grep -rn '^#include "' "$inc/fixvar"; then
    echo "an installed header includes a local (internal) header" >&2; exit 1
fi

# Each public header compiles alone against the installed tree (and the system's fmt).
headers=$(cd "$inc" && find fixvar -name '*.hpp' | sort)
[ -n "$headers" ] || { echo "no headers installed" >&2; exit 1; }
printf '%s\n' $headers | xargs -P 2 -I{} sh -c \
    'echo "#include <{}>" | '"${CXX:-c++}"' -std=gnu++20 -fsyntax-only -Wall -Wextra -Werror -I "'"$inc"'" -x c++ - \
     || { echo "installed header {} does not compile on its own" >&2; exit 255; }'
echo "installed headers: $(printf '%s\n' $headers | wc -l), each compiles alone"

# Boost (Hana) belongs to the compile-time layer only (fixvarStaticTargets); range-v3 and
# nlohmann-json are the library's private business.
targets=$(dirname "$(find "$work/prefix" -name fixvarConfig.cmake)")
if grep -l 'Boost::' "$targets"/fixvarTargets*.cmake; then
    echo "Boost is a dependency of the dynamic API's targets (above)" >&2; exit 1
fi
grep -q 'Boost::headers' "$targets"/fixvarStaticTargets.cmake \
    || { echo "fixvar::static does not carry Boost::headers" >&2; exit 1; }
if grep -lE 'range-v3|nlohmann' "$targets"/*.cmake; then
    echo "range-v3 or nlohmann-json is a dependency of the installed package (above)" >&2; exit 1
fi

# A program of the dynamic API needs neither Boost nor range-v3: its headers read none of theirs,
# and it configures, builds and runs with both packages disabled.
dynamic="$source_dir/tests/install/dynamic"
${CXX:-c++} -std=gnu++20 -M -I "$inc" "$dynamic/main.cpp" > "$work/dynamic.d"
if tr ' ' '\n' < "$work/dynamic.d" | grep -E '/(boost|range/v3)/'; then
    echo "fixvar/fixvar.hpp reads Boost or range-v3 headers (above)" >&2; exit 1
fi
cmake -S "$dynamic" -B "$work/dynamic" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_range-v3=ON > "$work/dynamic.log" \
    || { cat "$work/dynamic.log"; exit 1; }
cmake --build "$work/dynamic" -j 2 > "$work/dynamic-build.log" || { cat "$work/dynamic-build.log"; exit 1; }
(cd "$work" && "$work/dynamic/dynamic_consumer")

# The whole API (the compile-time layer too) through the umbrella fixvar::fixvar.
cmake -S "$source_dir/tests/install/consumer" -B "$work/build" \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/build" -j 2 > "$work/build.log"
"$work/build/consumer"
