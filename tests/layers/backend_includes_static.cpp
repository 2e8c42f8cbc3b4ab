// layer: backend
// missing: fixvar/static/fx.hpp
// A sideways include: backend and the compile-time layer both stand on trace, apart.
#include <fixvar/static/fx.hpp>
