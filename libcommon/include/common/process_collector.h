#pragma once

#include <string>
#include <string_view>

#include "common/collector.h"

namespace common {

// The process_* metrics of the exporter itself, as Prometheus client
// libraries export them: CPU seconds, resident and virtual memory, open and
// maximum file descriptors, start time. Always reads the real /proc/self.
class ProcessCollector : public Collector {
 public:
  explicit ProcessCollector(std::string procfs = "/proc");
  void Update(MetricSink& sink) override;

 private:
  std::string self_;
  double boot_time_ = 0;
  Desc cpu_, resident_, virtual_, open_fds_, max_fds_, start_time_;
};

// Parsed /proc/<pid>/stat fields that process_* needs.
struct ProcStat {
  double utime_ticks = 0;
  double stime_ticks = 0;
  double start_ticks = 0;
  double vsize_bytes = 0;
  double rss_pages = 0;
};

// Parses /proc/<pid>/stat (the comm field may hold spaces and parentheses).
// Throws ParseError.
ProcStat ParseProcStat(std::string_view text);

}  // namespace common
