#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "common/collector.h"

namespace node_health {

// The cumulative stall times of one /proc/pressure file, in seconds.
struct PressureTotals {
  std::optional<double> some;  // "some" line: at least one task stalled
  std::optional<double> full;  // "full" line: all non-idle tasks stalled
};

// Parses one /proc/pressure/<resource> file; the total= values are in
// microseconds. Either line may be absent (irq has only "full"). Throws
// common::ParseError on a line without total= or a non-number.
PressureTotals ParsePressure(std::string_view text);

// node_pressure_{cpu,io,memory}_waiting_seconds_total ("some"),
// node_pressure_{io,memory,irq}_stalled_seconds_total ("full") from
// /proc/pressure. Throws common::NoDataError if the kernel has no PSI.
class PressureCollector : public common::Collector {
 public:
  explicit PressureCollector(const common::Paths& paths);
  void Update(common::MetricSink& sink) override;

 private:
  std::string cpu_path_, io_path_, memory_path_, irq_path_;
  std::atomic<bool> irq_absent_{false};
  common::Desc cpu_waiting_, io_waiting_, io_stalled_, memory_waiting_,
      memory_stalled_, irq_stalled_;
};

// The spec of the pressure collector (enabled by default).
common::CollectorSpec PressureSpec();

}  // namespace node_health
