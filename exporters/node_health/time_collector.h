#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "common/collector.h"

namespace node_health {

// The local time zone at one instant: its abbreviation ("CET") and offset
// east of UTC in seconds.
struct ZoneOffset {
  std::string name;
  long offset_seconds = 0;
};

// The local zone at `t`, per localtime_r(3) and the TZ environment.
ZoneOffset LocalZoneAt(std::time_t t);

// Parses available_clocksource ("tsc hpet acpi_pm \n") into names.
std::vector<std::string_view> ParseAvailableClocksources(std::string_view text);

// node_time_seconds, node_time_zone_offset_seconds{time_zone} and, from
// /sys/devices/system/clocksource/clocksource<N>,
// node_time_clocksource_{available,current}_info{device,clocksource}.
class TimeCollector : public common::Collector {
 public:
  explicit TimeCollector(const common::Paths& paths);
  // Never throws for clocksources: a missing directory or an unreadable
  // file only leaves those series out (the latter with a warning).
  void Update(common::MetricSink& sink) override;

 private:
  std::string clocksource_dir_;
  common::Desc now_, zone_, available_, current_;
};

// The spec of the time collector (enabled by default).
common::CollectorSpec TimeSpec();

}  // namespace node_health
