#include "collectors.h"

#include "conntrack_collector.h"
#include "cpu_collector.h"
#include "diskstats_collector.h"
#include "filefd_collector.h"
#include "filesystem_collector.h"
#include "hwmon_collector.h"
#include "loadavg_collector.h"
#include "meminfo_collector.h"
#include "netdev_collector.h"
#include "netstat_collector.h"
#include "os_collector.h"
#include "pressure_collector.h"
#include "sockstat_collector.h"
#include "stat_collector.h"
#include "textfile_collector.h"
#include "time_collector.h"
#include "timex_collector.h"
#include "uname_collector.h"
#include "vmstat_collector.h"

namespace node_health {

// Collectors are listed here rather than registering themselves from static
// initialisers, which the linker drops from a static library.
std::vector<common::CollectorSpec> CollectorSpecs() {
  return {ConntrackSpec(),  CpuSpec(),     DiskstatsSpec(), FilefdSpec(),
          FilesystemSpec(), HwmonSpec(),   LoadavgSpec(),   MeminfoSpec(),
          NetdevSpec(),     NetstatSpec(), OsSpec(),        PressureSpec(),
          SockstatSpec(),   StatSpec(),    TextfileSpec(),  TimeSpec(),
          TimexSpec(),      UnameSpec(),   VmstatSpec()};
}

void RegisterCollectors(common::CollectorSet& set) {
  for (auto& spec : CollectorSpecs()) set.Register(std::move(spec));
}

}  // namespace node_health
