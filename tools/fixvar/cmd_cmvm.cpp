// `fixvar cmvm` and `fixvar bench cmvm` (filled in by the CMVM work).
#include "commands.hpp"

namespace fixvar::cli {

void add_cmvm_commands(CLI::App&, Action&) {}

}  // namespace fixvar::cli
