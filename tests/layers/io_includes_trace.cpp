// layer: io
// missing: fixvar/trace/weights.hpp
// An upward include: io reads and writes files for trace, not the other way round.
#include <fixvar/trace/weights.hpp>
