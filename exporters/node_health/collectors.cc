#include "collectors.h"

#include "filesystem_collector.h"
#include "loadavg_collector.h"
#include "textfile_collector.h"

namespace node_health {

// The one list of collectors, in the order they run and appear in --help.
// Collectors are listed here rather than registering themselves from static
// initialisers, which the linker drops from a static library.
void RegisterCollectors(common::CollectorSet& set) {
  set.Register(FilesystemSpec());
  set.Register(LoadavgSpec());
  set.Register(TextfileSpec());
}

}  // namespace node_health
