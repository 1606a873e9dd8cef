#pragma once

#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
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
  // A clocksource<N> directory: its device number ("0") and directory.
  struct Clocksource {
    std::string device, dir;
  };
  // The clocksource directories, listed again at most every kRelist (they
  // are registered at boot; listing costs more than reading the two files).
  static constexpr std::chrono::seconds kRelist{60};
  std::vector<Clocksource> Clocksources();

  std::string clocksource_dir_;
  common::Desc now_, zone_, available_, current_;
  std::mutex mu_;  // guards the two below
  std::vector<Clocksource> clocksources_;
  std::optional<std::chrono::steady_clock::time_point> listed_;
};

// The spec of the time collector (enabled by default).
common::CollectorSpec TimeSpec();

}  // namespace node_health
