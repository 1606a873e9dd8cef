#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/collector.h"

namespace node_health {

// The softirq vectors of the "softirq" line of /proc/stat, in kernel order.
inline constexpr std::array<std::string_view, 10> kSoftirqVectors = {
    "hi",           "timer",   "net_tx", "net_rx",  "block",
    "block_iopoll", "tasklet", "sched",  "hrtimer", "rcu"};

// The system-wide counters of /proc/stat.
struct StatInfo {
  double boot_time = 0;         // btime, seconds since the epoch
  double context_switches = 0;  // ctxt
  double forks = 0;             // processes
  double interrupts = 0;        // first number of intr
  double procs_running = 0;
  double procs_blocked = 0;
  bool has_softirq = false;
  std::array<double, kSoftirqVectors.size()> softirqs{};  // per vector
};

// Parses /proc/stat. Only the first number of the intr line is read, however
// long the line. Throws common::ParseError if btime, ctxt, processes, intr,
// procs_running or procs_blocked is missing or not a number, or if the
// softirq line is malformed.
StatInfo ParseStat(std::string_view text);

// node_boot_time_seconds, node_context_switches_total, node_forks_total,
// node_intr_total, node_procs_running, node_procs_blocked and, when
// `softirq` is set, node_softirqs_total{vector} from /proc/stat.
class StatCollector : public common::Collector {
 public:
  StatCollector(const common::Paths& paths, bool softirq);
  void Update(common::MetricSink& sink) override;

 private:
  std::string path_;
  bool softirq_;
  common::Desc boot_time_, context_switches_, forks_, intr_, procs_running_,
      procs_blocked_, softirqs_;
};

// The spec of the stat collector (enabled by default) with its flag
// --collector.stat.softirq.
common::CollectorSpec StatSpec();

}  // namespace node_health
