#pragma once
// The trace context: the graph builder that traced operations record into. Each thread has a
// current one; `new_trace()` starts a fresh one (variables of an older trace stay valid, but
// cannot be mixed with the new one).
#include <memory>

#include <fixvar/ir/builder.hpp>

namespace fixvar {

using TraceContext = std::shared_ptr<ir::GraphBuilder>;

/// The calling thread's current trace (created on first use).
const TraceContext& current_trace();
/// Starts a fresh trace on this thread and returns it.
const TraceContext& new_trace();

}  // namespace fixvar
