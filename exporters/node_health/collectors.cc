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

// The one list of collectors, in the order they run and appear in --help.
// Collectors are listed here rather than registering themselves from static
// initialisers, which the linker drops from a static library.
void RegisterCollectors(common::CollectorSet& set) {
  set.Register(ConntrackSpec());
  set.Register(CpuSpec());
  set.Register(DiskstatsSpec());
  set.Register(FilefdSpec());
  set.Register(FilesystemSpec());
  set.Register(HwmonSpec());
  set.Register(LoadavgSpec());
  set.Register(MeminfoSpec());
  set.Register(NetdevSpec());
  set.Register(NetstatSpec());
  set.Register(OsSpec());
  set.Register(PressureSpec());
  set.Register(SockstatSpec());
  set.Register(StatSpec());
  set.Register(TextfileSpec());
  set.Register(TimeSpec());
  set.Register(TimexSpec());
  set.Register(UnameSpec());
  set.Register(VmstatSpec());
}

}  // namespace node_health
