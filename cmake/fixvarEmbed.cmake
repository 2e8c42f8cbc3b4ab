# fixvar_embed_weights(TARGET <target> [NAME <header-name>] [NAMESPACE <ns>] FILES <npy>...)
#
# Adds a build step that runs `fixvar embed` on the .npy files and writes <header-name>.hpp
# (default: <target>_weights) of constexpr fixvar::weights / fixvar::formats into the build tree;
# the target gets that directory on its include path and rebuilds when a file changes. Naming:
# NAME.npy [+ NAME_f.npy, per-weight fractional bits] -> weights NAME; NAME_k/_i/_f.npy -> formats
# NAME. A weight off its grid 2^-f, a malformed file or mismatched shapes fail the build with the
# file and element index.
#
# The fixvar program is the in-tree target fixvar_cli when there is one, else FIXVAR_EXECUTABLE
# (set by find_package(fixvar) to the installed program).
function(fixvar_embed_weights)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;NAME;NAMESPACE" "FILES")
  if(NOT arg_TARGET OR NOT arg_FILES)
    message(FATAL_ERROR "fixvar_embed_weights: TARGET and FILES are required")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "fixvar_embed_weights: unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_NAME)
    set(arg_NAME ${arg_TARGET}_weights)
  endif()
  if(TARGET fixvar_cli)
    set(exe $<TARGET_FILE:fixvar_cli>)
    set(exe_dep fixvar_cli)
  elseif(FIXVAR_EXECUTABLE)
    set(exe ${FIXVAR_EXECUTABLE})
    set(exe_dep ${FIXVAR_EXECUTABLE})
  else()
    message(FATAL_ERROR "fixvar_embed_weights: no fixvar program (build the tools, or set FIXVAR_EXECUTABLE)")
  endif()
  set(files)
  foreach(f IN LISTS arg_FILES)
    get_filename_component(f ${f} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND files ${f})
  endforeach()
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/fixvar_embed/${arg_TARGET})
  set(header ${dir}/${arg_NAME}.hpp)
  set(ns)
  if(arg_NAMESPACE)
    set(ns --namespace ${arg_NAMESPACE})
  endif()
  add_custom_command(OUTPUT ${header}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${exe} embed ${files} --output ${header} ${ns}
    DEPENDS ${files} ${exe_dep}
    COMMENT "fixvar embed: ${arg_NAME}.hpp"
    VERBATIM)
  target_sources(${arg_TARGET} PRIVATE ${header})
  target_include_directories(${arg_TARGET} PRIVATE ${dir})
endfunction()
