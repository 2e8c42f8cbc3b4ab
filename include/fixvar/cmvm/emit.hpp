#pragma once
// Former name of <fixvar/cmvm/solution_json.hpp> (it only ever wrote JSON); kept so existing
// includes compile.
#include <fixvar/cmvm/solution_json.hpp>
