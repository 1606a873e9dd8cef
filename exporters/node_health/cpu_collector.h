#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"

namespace node_health {

// The time one CPU has spent in each mode since boot, in seconds.
struct CpuTimes {
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0,
         softirq = 0, steal = 0, guest = 0, guest_nice = 0;
};

// One "cpuN" line of /proc/stat. `cpu` is the number as written ("12"), a
// view into the parsed text.
struct CpuLine {
  std::string_view cpu;
  uint64_t id = 0;
  CpuTimes times;
};

// Parses the per-CPU lines of /proc/stat (the aggregate "cpu" line is
// skipped), converting ticks to seconds by dividing by `user_hz`. Guest
// columns default to 0 when absent; columns beyond them are ignored. Throws
// common::ParseError on a line with fewer than 8 numbers or a non-number.
std::vector<CpuLine> ParseCpuStat(std::string_view text, double user_hz);

// Merges `next` into `last` as node_exporter does: if idle went back by 3 s or
// more the CPU was hot-plugged and `last` restarts from `next`; otherwise each
// mode keeps the larger of the two values, so counters never go backwards.
void MergeCpuTimes(CpuTimes& last, const CpuTimes& next);

// node_cpu_seconds_total{cpu,mode} and, when `guest` is set,
// node_cpu_guest_seconds_total{cpu,mode} from /proc/stat.
class CpuCollector : public common::Collector {
 public:
  // `user_hz` is the kernel's tick rate (sysconf(_SC_CLK_TCK) when 0).
  CpuCollector(const common::Paths& paths, bool guest, double user_hz = 0);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  bool guest_;
  double user_hz_;
  common::Desc seconds_, guest_seconds_;
  std::mutex mu_;
  std::map<uint64_t, CpuTimes> last_;  // guarded by mu_
};

// The spec of the cpu collector (enabled by default) with its flag
// --collector.cpu.guest.
common::CollectorSpec CpuSpec();

}  // namespace node_health
