// layer: trace
// missing: fixvar/backend/verilog_model.hpp
// An upward include: trace is below backend.
#include <fixvar/backend/verilog_model.hpp>
