#include <fixvar/trace/context.hpp>

namespace fixvar {
namespace {
thread_local TraceContext current;
}

const TraceContext& current_trace() {
    if (!current) current = std::make_shared<ir::GraphBuilder>();
    return current;
}

const TraceContext& new_trace() {
    current = std::make_shared<ir::GraphBuilder>();
    return current;
}

}  // namespace fixvar
