#pragma once

namespace fixvar {
inline constexpr const char* version = "0.1.0";
}
